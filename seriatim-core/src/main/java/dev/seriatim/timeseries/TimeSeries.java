package dev.seriatim.timeseries;

import java.time.LocalDate;
import java.util.Arrays;

/**
 * A univariate series at a regular interval.
 *
 * @param name what to call it in output
 * @param values observations, NaN for missing
 * @param frequency observations per seasonal cycle (12 monthly, 4 quarterly, 1 none)
 * @param dates the date of each observation, or null when the series has none
 */
public record TimeSeries(String name, double[] values, int frequency, LocalDate[] dates) {

    public TimeSeries {
        if (frequency < 1) {
            throw new IllegalArgumentException(name + ": frequency must be at least 1, got " + frequency);
        }
        if (dates != null && dates.length != values.length) {
            throw new IllegalArgumentException(name + ": one date per value is needed");
        }
    }

    public int length() {
        return values.length;
    }

    public TimeSeries withFrequency(int m) {
        return new TimeSeries(name, values, m, dates);
    }

    /** The first n observations. */
    public TimeSeries head(int n) {
        return new TimeSeries(name, Arrays.copyOf(values, n), frequency, dates == null ? null : Arrays.copyOf(dates, n));
    }

    /** Non-missing observations. */
    public int observed() {
        int c = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                c++;
            }
        }
        return c;
    }

    /** True when all observed values are equal (or there are none). */
    public boolean isConstant() {
        double first = Double.NaN;
        for (double v : values) {
            if (Double.isNaN(v)) {
                continue;
            }
            if (Double.isNaN(first)) {
                first = v;
            } else if (v != first) {
                return false;
            }
        }
        return true;
    }

    /**
     * The date of step s after the last observation (s = 1 is the next one), continuing the
     * spacing of the last two dates in whole months when it is about a month or more, days otherwise.
     */
    public LocalDate futureDate(int s) {
        if (dates == null || dates.length < 2) {
            return null;
        }
        LocalDate last = dates[dates.length - 1];
        LocalDate prev = dates[dates.length - 2];
        long months = java.time.temporal.ChronoUnit.MONTHS.between(prev, last);
        if (months >= 1) {
            return last.plusMonths(months * s);
        }
        long days = java.time.temporal.ChronoUnit.DAYS.between(prev, last);
        return last.plusDays(days * s);
    }

    /** The classic monthly airline passengers series (Box & Jenkins), 1949-1960, shipped with Seriatim. */
    public static TimeSeries airPassengers() {
        try (var in = TimeSeries.class.getResourceAsStream("AirPassengers.csv")) {
            return SeriesCsv.read(dev.seriatim.io.csv.CsvReader.read(in, "AirPassengers.csv"), "value", 0)
                    .withName("AirPassengers");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public TimeSeries withName(String n) {
        return new TimeSeries(n, values, frequency, dates);
    }
}
