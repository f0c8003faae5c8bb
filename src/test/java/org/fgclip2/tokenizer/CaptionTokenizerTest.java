package org.fgclip2.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fgclip2.model.checkpoint.IntegerTensors;
import org.fgclip2.model.checkpoint.SafetensorsFile;
import org.fgclip2.testing.GoldenFixture;
import org.fgclip2.testing.TestAssets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CaptionTokenizerTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.fgclip2.testing.GoldenFixtures#each")
    void reproducesTheOfficialIdsForEveryCaptionAndWalk(GoldenFixture fixture) throws Exception {
        List<String> captions = new ArrayList<>();
        fixture.json().get("text").get("captions").forEach(c -> captions.add(c.asText()));
        try (CaptionTokenizer tokenizer = CaptionTokenizer.load(fixture.dir()); SafetensorsFile golden = fixture.tensors()) {
            assertThat(tokenizer.returnsAttentionMask()).isFalse();
            for (String walk : List.of("short", "box", "long")) {
                JsonNode w = fixture.json().get("text").get(walk);
                TokenizedCaptions t = tokenizer.encode(captions, w.get("max_length").asInt());
                assertThat(t.inputIds()).as(walk)
                        .containsExactly(IntegerTensors.read(golden, "text/" + walk + "/input_ids"));
                long[] mask = IntegerTensors.read(golden, "text/" + walk + "/attention_mask");
                for (int c = 0; c < captions.size(); c++) {
                    long ones = 0;
                    for (int i = 0; i < t.length(); i++) {
                        ones += mask[c * t.length() + i];
                    }
                    assertThat(t.validLengths()[c]).as("valid length of caption %d", c).isEqualTo((int) ones);
                }
            }
        }
    }

    @Test
    void fgclip2FlagsOverrideTheStockGemmaTemplate() throws Exception {
        Path folder = gemmaFolder("""
                {"add_bos_token": false, "add_eos_token": true, "model_input_names": ["input_ids"],
                 "pad_token": "<pad>", "eos_token": "<eos>", "bos_token": "<bos>", "model_max_length": 1e30}""");
        try (CaptionTokenizer tokenizer = CaptionTokenizer.load(folder)) {
            TokenizedCaptions t = tokenizer.encode(List.of("A photo of a cat", "一只猫", ""), 64);
            long[] cat = t.ids(0);
            assertThat(cat[0]).as("no <bos>").isNotEqualTo(2L);
            int eos = t.validLengths()[0] - 1;
            assertThat(cat[eos]).as("<eos> after the pieces").isEqualTo(1L);
            assertThat(Arrays.copyOfRange(cat, eos + 1, 64)).containsOnly(0L);
            assertThat(t.ids(2)).startsWith(1L, 0L);
            assertThat(t.validLengths()[2]).isEqualTo(1);

            String longCaption = "word ".repeat(300);
            TokenizedCaptions truncated = tokenizer.encode(List.of(longCaption), 64);
            assertThat(truncated.validLengths()[0]).isEqualTo(64);
            assertThat(truncated.ids(0)[63]).as("truncation keeps the trailing <eos>").isEqualTo(1L);
            assertThat(tokenizer.encode(List.of(longCaption), 196).ids(0)[195]).isEqualTo(1L);
        }
    }

    @Test
    void withoutFlagsTheFileTemplateApplies() throws Exception {
        Path folder = gemmaFolder("{\"pad_token\": \"<pad>\"}");
        try (CaptionTokenizer tokenizer = CaptionTokenizer.load(folder)) {
            long[] ids = tokenizer.encode(List.of("a cat"), 64).ids(0);
            assertThat(ids[0]).as("the stock Gemma template's <bos>").isEqualTo(2L);
        }
    }

    @Test
    void captionsAreLowerCasedByTheCallerLikePythonStrLower() throws Exception {
        Path folder = gemmaFolder("{\"add_bos_token\": false, \"add_eos_token\": true}");
        try (CaptionTokenizer tokenizer = CaptionTokenizer.load(folder)) {
            // The Gemma tokenizer does not lower-case: upper-case input would give other pieces.
            assertThat(tokenizer.encode(List.of("A Photo Of A CAT"), 64).ids(0))
                    .containsExactly(tokenizer.encode(List.of("a photo of a cat"), 64).ids(0));
            // Python: "ΟΔΟΣ".lower() == "οδος" (final sigma), "İ".lower() == "i̇"
            assertThat(tokenizer.encode(List.of("ΟΔΟΣ İ"), 64).ids(0))
                    .containsExactly(tokenizer.encode(List.of("οδος i̇"), 64).ids(0));
        }
    }

    @Test
    void attentionMaskIsReturnedOnlyWhenModelInputNamesListIt() throws Exception {
        Path folder = gemmaFolder("{\"add_eos_token\": true, \"model_input_names\": [\"input_ids\", \"attention_mask\"]}");
        try (CaptionTokenizer tokenizer = CaptionTokenizer.load(folder)) {
            assertThat(tokenizer.returnsAttentionMask()).isTrue();
        }
    }

    private Path gemmaFolder(String tokenizerConfig) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("gemma-" + System.nanoTime()));
        Files.copy(TestAssets.gemmaTokenizerJson(), folder.resolve("tokenizer.json"));
        Files.writeString(folder.resolve("tokenizer_config.json"), tokenizerConfig);
        return folder;
    }
}
