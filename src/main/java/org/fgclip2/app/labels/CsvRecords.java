package org.fgclip2.app.labels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of an RFC 4180 CSV text (fields with commas, quotes or line breaks are quoted, {@code ""} is a
 * quote), each with the line it starts on, so that every problem a reader finds can name its line: label files and
 * truth CSVs alike.
 */
final class CsvRecords {

    private static final CsvMapper MAPPER = new CsvMapper();

    private CsvRecords() {
    }

    /** One record: its trimmed cells, and the line it starts on (a quoted field may span lines). */
    record Line(int number, List<String> cells) {

        boolean blank() {
            return cells.stream().allMatch(String::isBlank);
        }

        /** The cell of a column; empty when the column is unknown or the record is shorter. */
        String cell(Integer column) {
            return column == null || column >= cells.size() ? "" : cells.get(column);
        }
    }

    /** A quoting error, at the line where the record it spoils starts. */
    static final class MalformedCsv extends Exception {
        final int line;

        MalformedCsv(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    static List<Line> read(String text) throws MalformedCsv {
        List<Line> out = new ArrayList<>();
        int number = 1;
        try (CsvParser parser = (CsvParser) MAPPER.createParser(text)) {
            parser.enable(CsvParser.Feature.WRAP_AS_ARRAY);
            parser.nextToken(); // opens the array of all records
            for (JsonToken t = parser.nextToken(); t == JsonToken.START_ARRAY; t = parser.nextToken()) {
                // the parser counts lines from 0, and says -1 before it has read anything
                number = Math.max(1, parser.currentTokenLocation().getLineNr() + 1);
                List<String> cells = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    cells.add(parser.getText().strip());
                }
                out.add(new Line(number, cells));
            }
        } catch (JsonProcessingException e) {
            throw new MalformedCsv(number, e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String has no I/O to fail
        }
        return out;
    }
}
