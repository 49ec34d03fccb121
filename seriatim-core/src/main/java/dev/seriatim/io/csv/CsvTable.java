package dev.seriatim.io.csv;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A CSV file read into memory: a header and rows of text cells, all rows as wide as the header.
 *
 * @param source what to call the input in messages (usually the file name)
 */
public record CsvTable(String source, List<String> header, List<String[]> rows) {

    public CsvTable {
        header = List.copyOf(header);
        rows = List.copyOf(rows);
    }

    public int rowCount() {
        return rows.size();
    }

    /** Index of a column by name (exact, then case-insensitive), or -1. */
    public int indexOf(String name) {
        int i = header.indexOf(name);
        if (i >= 0) {
            return i;
        }
        for (int j = 0; j < header.size(); j++) {
            if (header.get(j).equalsIgnoreCase(name)) {
                return j;
            }
        }
        return -1;
    }

    /** A column by name; the error lists the columns there are. */
    public int require(String name) {
        int i = indexOf(name);
        if (i < 0) {
            throw new CsvFormatException(source + ": no column named '" + name + "' (columns: "
                    + String.join(", ", header) + ")");
        }
        return i;
    }

    /**
     * The cells of a column as numbers; empty cells and NA / NaN / NULL (any case) are missing
     * (NaN). Anything else that is not a finite decimal number is an error naming the cell.
     */
    public double[] numbers(int column) {
        double[] out = new double[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            String cell = rows.get(r)[column].strip();
            if (isMissing(cell)) {
                out[r] = Double.NaN;
                continue;
            }
            double v;
            try {
                v = Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                throw new CsvFormatException(source + ": row " + (r + 2) + ", column '" + header.get(column)
                        + "': not a number: '" + shorten(cell) + "'");
            }
            if (!Double.isFinite(v) || cell.toLowerCase(Locale.ROOT).contains("x") || cell.endsWith("d")
                    || cell.endsWith("D") || cell.endsWith("f") || cell.endsWith("F")) {
                throw new CsvFormatException(source + ": row " + (r + 2) + ", column '" + header.get(column)
                        + "': not a finite decimal number: '" + shorten(cell) + "'");
            }
            out[r] = v;
        }
        return out;
    }

    /** True when every cell of the column parses as a number or is missing. */
    public boolean isNumeric(int column) {
        try {
            numbers(column);
            return true;
        } catch (CsvFormatException e) {
            return false;
        }
    }

    public List<String> column(int column) {
        List<String> out = new ArrayList<>(rows.size());
        for (String[] row : rows) {
            out.add(row[column]);
        }
        return out;
    }

    static boolean isMissing(String cell) {
        return cell.isEmpty() || cell.equalsIgnoreCase("NA") || cell.equalsIgnoreCase("NaN")
                || cell.equalsIgnoreCase("NULL");
    }

    static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
