package org.fgclip2.app.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fgclip2.app.labels.YamlLabelFileTest.label;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fgclip2.avro.LabelDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvLabelFileTest {

    @TempDir
    Path dir;

    @Test
    void readsEveryColumnWithQuotingAsExcelWritesIt() throws Exception {
        // Excel's "CSV UTF-8": a byte order mark, CRLF line ends, quotes only where needed
        Path file = dir.resolve("labels.csv");
        Files.write(file, ("\uFEFFid,prompts,boxPrompt,threshold,long\r\n"
                + "cat,\"a photo of a cat, sitting|一只猫的照片\",cat,0.25,FALSE\r\n"
                + "dog,a dog | 一只狗 ,,,TRUE\r\n"
                + "quote,\"the word \"\"hello\"\"|“你好”这个词\",\"\"\"hello\"\"\",1,\r\n").getBytes(StandardCharsets.UTF_8));

        LabelFile labels = LabelFile.read(file, "street");

        assertThat(labels.labels()).containsExactly(
                label("cat", "street", List.of("a photo of a cat, sitting", "一只猫的照片"), "cat", 0.25f, false),
                label("dog", "street", List.of("a dog", "一只狗"), null, null, true),
                label("quote", "street", List.of("the word \"hello\"", "“你好”这个词"), "\"hello\"", 1f, false));
    }

    @Test
    void columnsMayComeInAnyOrderAndOptionalOnesMayBeLeftOut() throws Exception {
        assertThat(read("prompts,id\na cat|一只猫,cat\n")).containsExactly(
                label("cat", "default", List.of("a cat", "一只猫"), null, null, false));
        assertThat(read("id,prompts,threshold\ncat,a cat\n")).extracting(LabelDefinition::getThreshold)
                .containsNull();
    }

    @Test
    void blankLinesAreSkippedAndLineNumbersCountEveryLine() throws Exception {
        assertThat(problems("id,prompts\n\ncat,\"a cat\non two lines\"\n,,\ndog,\n"))
                .containsExactly("line 6 (id 'dog'): no prompts");
    }

    @Test
    void aHeaderAloneIsAFileWithoutLabels() throws Exception {
        assertThat(read("id,prompts\n")).isEmpty();
    }

    @Test
    void theHeaderMustNameKnownColumnsOnceIncludingIdAndPrompts() throws Exception {
        assertThat(problems("id,prompts,colour\ncat,a cat,red\n")).containsExactly(
                "line 1: unknown column 'colour' (the header names id, prompts, boxPrompt, threshold, long, action,"
                        + " reviewMargin; id and prompts are required)");
        assertThat(problems("id,prompts,id\ncat,a cat,cat\n"))
                .containsExactly("line 1: column 'id' appears twice in the header");
        assertThat(problems("id,prompt\ncat,a cat\n")).containsExactly(
                "line 1: unknown column 'prompt' (the header names id, prompts, boxPrompt, threshold, long, action,"
                        + " reviewMargin; id and prompts are required)",
                "line 1: the header has no 'prompts' column (it must name id,prompts and may add"
                        + " boxPrompt,threshold,long,action,reviewMargin)");
        assertThat(problems("")).containsExactly(
                "the file is empty: its first line must be the header id,prompts,boxPrompt,threshold,long,action,"
                        + "reviewMargin");
    }

    @Test
    void everyRowProblemIsReportedInFileOrder() throws Exception {
        assertThat(problems("""
                id,prompts,threshold,long
                cat,a cat,"0,3",
                dog,a dog|,1.5,yes
                ,a nameless label,,
                red car,a red car,,
                cat,another cat,abc,
                bird,a bird,0.3,true,extra
                fish,a fish|| a fish in water,,
                """)).containsExactly(
                "line 2 (id 'cat'): threshold '0,3' is not a number (write the decimals after a dot: 0.25)",
                "line 3 (id 'dog'): long must be true or false, got 'yes'",
                "line 3 (id 'dog'): prompt 2 is empty",
                "line 3 (id 'dog'): threshold 1.5 is outside [0, 1]",
                "line 4: the id is empty",
                "line 5 (id 'red car'): the id contains whitespace or control characters (write e.g. 'red_car')",
                "line 6 (id 'cat'): threshold 'abc' is not a number",
                "line 6 (id 'cat'): the id is used twice, first at line 2",
                "line 7: 5 fields but the header has 4 (put a field that contains a comma in double quotes)",
                "line 8 (id 'fish'): prompt 2 is empty");
    }

    @Test
    void actionsAndReviewMarginsAreColumnsToo() throws Exception {
        Path file = dir.resolve("moderation.csv");
        Files.writeString(file, """
                id,prompts,threshold,action,reviewMargin
                weapon,a photo of a gun|一把枪,0.4,block,0.1
                cat,a cat,,,
                """);
        LabelFile labels = LabelFile.read(file, null);
        assertThat(labels.labels()).extracting(LabelDefinition::getAction).containsExactly("block", null);
        assertThat(labels.labels()).extracting(LabelDefinition::getReviewMargin).containsExactly(0.1f, null);
        assertThat(problems("id,prompts,action,reviewMargin\nweapon,a gun,BLOCK,\"0,1\"\n")).containsExactly(
                "line 2 (id 'weapon'): reviewMargin '0,1' is not a number (write the decimals after a dot: 0.25)",
                "line 2 (id 'weapon'): action 'BLOCK' has upper-case letters: actions are lower-case words"
                        + " (e.g. block)");
    }

    @Test
    void anUnclosedQuoteNamesTheLineItStartsOn() throws Exception {
        assertThat(problems("id,prompts\ncat,a cat\ndog,\"a dog\nbird,a bird\n"))
                .containsExactly("line 3: not valid CSV: Missing closing quote for value");
    }

    @Test
    void aFileInAnotherEncodingIsRefused() throws Exception {
        Path file = dir.resolve("gbk.csv");
        Files.write(file, "id,prompts\ncat,一只猫的照片\n".getBytes(Charset.forName("GBK")));

        assertThatThrownBy(() -> LabelFile.read(file, null)).isInstanceOf(LabelFileException.class)
                .extracting(e -> ((LabelFileException) e).problems()).asList().containsExactly(
                        "the file is not UTF-8 text: save it as UTF-8 (in Excel: \"CSV UTF-8\"; GBK or Latin-1 files"
                                + " must be converted)");
    }

    private List<LabelDefinition> read(String csv) throws Exception {
        return LabelFile.read(Files.writeString(dir.resolve("labels.csv"), csv), null).labels();
    }

    private List<String> problems(String csv) throws Exception {
        try {
            read(csv);
        } catch (LabelFileException e) {
            return e.problems();
        }
        throw new AssertionError("no problems found in\n" + csv);
    }
}
