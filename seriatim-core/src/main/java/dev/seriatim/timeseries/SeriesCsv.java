package dev.seriatim.timeseries;

import dev.seriatim.io.csv.CsvFormatException;
import dev.seriatim.io.csv.CsvTable;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A time series from a CSV table: the value column (named, or the only / first numeric column
 * that is not a date), an optional date column (the first whose cells are all ISO dates,
 * yyyy-MM-dd or yyyy-MM), and the frequency (given, or inferred from the date spacing).
 */
public final class SeriesCsv {

    private SeriesCsv() {
    }

    /**
     * @param column the value column's name, or null to pick it
     * @param frequency observations per cycle, or 0 to infer it from the dates (1 without dates)
     */
    public static TimeSeries read(CsvTable table, String column, int frequency) {
        String src = table.source();
        if (table.rowCount() == 0) {
            throw new CsvFormatException(src + ": no data rows");
        }
        int dateCol = -1;
        LocalDate[] dates = null;
        for (int c = 0; c < table.header().size() && dates == null; c++) {
            dates = dates(table.column(c));
            if (dates != null) {
                dateCol = c;
            }
        }
        int valueCol;
        if (column != null) {
            valueCol = table.require(column);
        } else {
            valueCol = -1;
            for (int c = 0; c < table.header().size(); c++) {
                if (c != dateCol && table.isNumeric(c)) {
                    valueCol = c;
                    break;
                }
            }
            if (valueCol < 0) {
                // Name the culprit: parse the first non-date column to get its error message.
                for (int c = 0; c < table.header().size(); c++) {
                    if (c != dateCol) {
                        table.numbers(c);
                    }
                }
                throw new CsvFormatException(src + ": no numeric column");
            }
        }
        double[] values = table.numbers(valueCol);
        if (dateCol == valueCol) {
            dates = null;
        }
        int m = frequency > 0 ? frequency : dates == null ? 1 : inferFrequency(dates, src);
        return new TimeSeries(table.header().get(valueCol), values, m, dates);
    }

    /** All cells as dates, or null if any is not one. */
    static LocalDate[] dates(List<String> cells) {
        LocalDate[] out = new LocalDate[cells.size()];
        for (int i = 0; i < out.length; i++) {
            String s = cells.get(i).strip();
            try {
                out[i] = s.length() == 7 ? LocalDate.parse(s + "-01") : LocalDate.parse(s);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return out;
    }

    /** 12 for monthly spacing, 4 quarterly, 52 weekly, 7 daily, 1 yearly or other. */
    static int inferFrequency(LocalDate[] dates, String src) {
        if (dates.length < 2) {
            return 1;
        }
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < dates.length; i++) {
            long g = ChronoUnit.DAYS.between(dates[i - 1], dates[i]);
            if (g <= 0) {
                throw new CsvFormatException(src + ": dates must increase (row " + (i + 2) + ": " + dates[i] + ")");
            }
            gaps.add(g);
        }
        gaps.sort(null);
        long median = gaps.get(gaps.size() / 2);
        if (median == 1) {
            return 7;
        }
        if (median == 7) {
            return 52;
        }
        if (median >= 28 && median <= 31) {
            return 12;
        }
        if (median >= 89 && median <= 92) {
            return 4;
        }
        return 1;
    }
}
