package dev.seriatim.io.csv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads comma-separated files as RFC 4180 describes them (double-quoted cells may hold commas,
 * quotes doubled, line breaks), UTF-8, with a header row. Bounded: a file above
 * {@link #MAX_CELLS} cells or a cell above {@link #MAX_CELL_CHARS} characters is refused before
 * it can exhaust memory. Blank lines are skipped; every row must have as many cells as the header.
 */
public final class CsvReader {

    public static final long MAX_CELLS = 50_000_000L;
    public static final int MAX_CELL_CHARS = 1 << 16;

    private CsvReader() {
    }

    public static CsvTable read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    public static CsvTable read(InputStream in, String source) throws IOException {
        Reader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
        try {
            return parse(reader, source);
        } catch (CharacterCodingException e) {
            throw new CsvFormatException(source + ": not UTF-8 text");
        }
    }

    static CsvTable parse(Reader reader, String source) throws IOException {
        List<String> header = null;
        List<String[]> rows = new ArrayList<>();
        long cells = 0;
        int line = 1;
        List<String> record = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean cellWasQuoted = false;
        boolean any = false;
        int c = reader.read();
        if (c == 0xFEFF) {
            c = reader.read(); // byte order mark
        }
        while (true) {
            if (c == -1 || (!quoted && (c == '\n' || c == '\r'))) {
                if (quoted) {
                    throw new CsvFormatException(source + ": line " + line + ": a quoted cell is not closed");
                }
                if (any || !record.isEmpty()) {
                    record.add(cell.toString());
                    cells += record.size();
                    if (cells > MAX_CELLS) {
                        throw new CsvFormatException(source + ": more than " + MAX_CELLS + " cells");
                    }
                    if (header == null) {
                        header = List.copyOf(stripAll(record));
                    } else if (record.size() != header.size()) {
                        throw new CsvFormatException(source + ": line " + line + " has " + record.size()
                                + " cells, the header has " + header.size());
                    } else {
                        rows.add(record.toArray(new String[0]));
                    }
                }
                record.clear();
                cell.setLength(0);
                any = false;
                cellWasQuoted = false;
                if (c == -1) {
                    break;
                }
                if (c == '\r') {
                    int next = reader.read();
                    c = next == '\n' ? reader.read() : next;
                } else {
                    c = reader.read();
                }
                line++;
                continue;
            }
            if (quoted) {
                if (c == '"') {
                    int next = reader.read();
                    if (next == '"') {
                        cell.append('"');
                        c = reader.read();
                    } else {
                        quoted = false;
                        c = next;
                    }
                    continue;
                }
                if (c == '\n') {
                    line++;
                }
                append(cell, c, source, line);
            } else if (c == ',') {
                record.add(cell.toString());
                cell.setLength(0);
                cellWasQuoted = false;
                any = true;
            } else if (c == '"' && cell.toString().isBlank() && !cellWasQuoted) {
                quoted = true;
                cellWasQuoted = true;
                cell.setLength(0);
                any = true;
            } else {
                append(cell, c, source, line);
                any = true;
            }
            c = reader.read();
        }
        if (header == null) {
            throw new CsvFormatException(source + ": empty file (no header row)");
        }
        return new CsvTable(source, header, rows);
    }

    private static void append(StringBuilder cell, int c, String source, int line) {
        if (cell.length() >= MAX_CELL_CHARS) {
            throw new CsvFormatException(source + ": line " + line + ": a cell is longer than " + MAX_CELL_CHARS
                    + " characters");
        }
        cell.append((char) c);
    }

    private static List<String> stripAll(List<String> cells) {
        List<String> out = new ArrayList<>(cells.size());
        for (String s : cells) {
            out.add(s.strip());
        }
        return out;
    }
}
