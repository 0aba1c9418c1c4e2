package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A small CSV file with a header line, as the data commands take them ({@code kslr dataset}'s clip list,
 * {@code kslr-spark dataset}'s labels table): RFC 4180 through Apache Commons CSV (quoted fields may hold commas),
 * a spreadsheet's byte-order mark skipped, cells trimmed, empty lines ignored, every row as wide as the header.
 *
 * <p><b>Thread-safety.</b> Immutable.
 *
 * @param file   the file read
 * @param header the header's column names
 * @param rows   the rows after the header, in file order
 */
public record CsvTable(Path file, List<String> header, List<Row> rows) {

    /**
     * One row.
     *
     * @param line  the line the row ends on (1 = the header), for messages
     * @param cells the row's cells, as many as the header's columns
     */
    public record Row(long line, List<String> cells) {
        public Row {
            cells = List.copyOf(cells);
        }

        /** The cell of column {@code k} (from 0). */
        public String get(int k) {
            return cells.get(k);
        }
    }

    public CsvTable {
        header = List.copyOf(header);
        rows = List.copyOf(rows);
    }

    /**
     * Reads {@code csv}, whose header must be one of {@code headers}.
     *
     * @param notAFile the message when {@code csv} is not a regular file
     * @throws InvalidInputException when it is not a file, not valid CSV, its header is none of {@code headers} (the
     *                               message names {@code expected}), or a row's width differs from the header's
     */
    public static CsvTable read(Path csv, String notAFile, List<List<String>> headers, String expected) {
        Checks.notNull(csv, "csv");
        if (!Files.isRegularFile(csv)) {
            throw new InvalidInputException(notAFile);
        }
        String text;
        try {
            text = Files.readString(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a byte-order mark, as spreadsheet programs write
        }
        CSVFormat format = CSVFormat.DEFAULT
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .setTrim(true)
                .setIgnoreEmptyLines(true)
                .get();
        try (CSVParser parser = CSVParser.parse(text, format)) {
            List<String> header = parser.getHeaderNames();
            if (!headers.contains(header)) {
                throw new InvalidInputException(
                        csv + ": the first line must be " + expected + ", was " + String.join(",", header));
            }
            List<Row> rows = new ArrayList<>();
            for (CSVRecord r : parser) {
                long line = parser.getCurrentLineNumber(); // the record's last line
                if (r.size() != header.size()) {
                    throw new InvalidInputException(csv + ": line " + line + " has " + r.size() + " columns, the"
                            + " header " + String.join(",", header) + " " + header.size());
                }
                rows.add(new Row(line, r.toList()));
            }
            return new CsvTable(csv, header, rows);
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidInputException(csv + " is not a valid CSV file: " + e.getMessage());
        }
    }
}
