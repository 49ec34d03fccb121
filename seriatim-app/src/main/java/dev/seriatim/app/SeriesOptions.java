package dev.seriatim.app;

import dev.seriatim.io.csv.CsvReader;
import dev.seriatim.timeseries.SeriesCsv;
import dev.seriatim.timeseries.TimeSeries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a time series comes from: a CSV file, or the embedded airline passengers series. */
final class SeriesOptions {

    /** Larger CSV files are refused before reading. */
    static final long MAX_BYTES = 256L << 20;

    @Option(names = "--data", paramLabel = "FILE.csv",
            description = "CSV with a header row; default: the embedded monthly AirPassengers series (1949-1960).")
    Path data;

    @Option(names = "--column", paramLabel = "NAME",
            description = "Value column (default: the first numeric column that is not a date).")
    String column;

    @Option(names = "--frequency", paramLabel = "M",
            description = "Observations per season: 12 monthly, 4 quarterly, 1 none (default: from the date column, else 1).")
    Integer frequency;

    @Option(names = "--xreg", paramLabel = "COLS", split = ",",
            description = "Regressor columns of the data CSV (regression with ARIMA errors); needs --future to forecast.")
    java.util.List<String> xreg;

    @Option(names = "--future", paramLabel = "FILE.csv",
            description = "Future values of the --xreg columns, one row per forecast step.")
    Path future;

    private dev.seriatim.io.csv.CsvTable table;

    /** The --xreg columns of the data, xreg[j][t]; empty without --xreg. */
    double[][] regressors() {
        if (xreg == null || xreg.isEmpty()) {
            if (future != null) {
                throw new InputException("--future needs --xreg");
            }
            return new double[0][];
        }
        if (table == null) {
            throw new InputException("--xreg needs --data");
        }
        double[][] out = new double[xreg.size()][];
        for (int j = 0; j < out.length; j++) {
            out[j] = table.numbers(table.require(xreg.get(j)));
            for (double v : out[j]) {
                if (Double.isNaN(v)) {
                    throw new InputException(data + ": regressor column '" + xreg.get(j) + "' has missing values");
                }
            }
        }
        return out;
    }

    /** The future regressor values, future[j][s]; the number of rows it has via rows(). */
    double[][] futureRegressors() throws IOException {
        if (xreg == null || xreg.isEmpty()) {
            return new double[0][];
        }
        if (future == null) {
            throw new InputException("--xreg needs --future FILE.csv with the regressors' future values");
        }
        if (!Files.isRegularFile(future)) {
            throw new InputException("--future: file not found: " + future);
        }
        dev.seriatim.io.csv.CsvTable t = CsvReader.read(future);
        if (t.rowCount() == 0) {
            throw new InputException(future + ": no data rows");
        }
        double[][] out = new double[xreg.size()][];
        for (int j = 0; j < out.length; j++) {
            out[j] = t.numbers(t.require(xreg.get(j)));
            for (double v : out[j]) {
                if (Double.isNaN(v)) {
                    throw new InputException(future + ": column '" + xreg.get(j) + "' has missing values");
                }
            }
        }
        return out;
    }

    TimeSeries load() throws IOException {
        if (frequency != null && frequency < 1) {
            throw new InputException("--frequency must be at least 1, got " + frequency);
        }
        TimeSeries series;
        if (data == null) {
            if (column != null) {
                throw new InputException("--column needs --data");
            }
            series = TimeSeries.airPassengers();
            if (frequency != null) {
                series = series.withFrequency(frequency);
            }
        } else {
            if (!Files.exists(data)) {
                throw new InputException("--data: file not found: " + data);
            }
            if (!Files.isRegularFile(data)) {
                throw new InputException("--data: not a regular file: " + data);
            }
            if (Files.size(data) > MAX_BYTES) {
                throw new InputException("--data: " + data + " is larger than " + Sizes.bytes(MAX_BYTES));
            }
            table = CsvReader.read(data);
            series = SeriesCsv.read(table, column, frequency == null ? 0 : frequency);
        }
        String src = data == null ? "AirPassengers" : data.toString();
        if (series.observed() == 0) {
            throw new InputException(src + ": the series has no values");
        }
        if (series.isConstant()) {
            throw new InputException(src + ": the series is constant (" + firstValue(series)
                    + "); there is nothing to model");
        }
        if (series.frequency() > 1 && series.frequency() >= series.length()) {
            throw new InputException(src + ": frequency " + series.frequency() + " does not fit a series of "
                    + series.length() + " observations (need more than one season)");
        }
        return series;
    }

    private static double firstValue(TimeSeries s) {
        for (double v : s.values()) {
            if (!Double.isNaN(v)) {
                return v;
            }
        }
        return Double.NaN;
    }
}
