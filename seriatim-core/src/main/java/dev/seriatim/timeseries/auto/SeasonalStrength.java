package dev.seriatim.timeseries.auto;

import dev.seriatim.timeseries.decompose.Stl;

/**
 * Strength of seasonality, max(0, min(1, 1 - Var(R) / Var(S + R))) from an STL decomposition
 * with seasonal window 11, as forecast 8.x's seasonal heuristic (mstl on a single-period series).
 * auto.arima takes a seasonal difference when it exceeds 0.64.
 *
 * <p>Difference from R: missing values are filled by linear interpolation (R's na.interp fits
 * an STL-based interpolation for seasonal data).
 */
public final class SeasonalStrength {

    public static final double THRESHOLD = 0.64;

    private SeasonalStrength() {
    }

    public static double of(double[] x, int period) {
        double[] y = Interpolation.linear(x);
        Stl.Decomposition d = Stl.decompose(y, period, 11);
        double[] sr = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            sr[i] = d.seasonal()[i] + d.remainder()[i];
        }
        return Math.max(0, Math.min(1, 1 - variance(d.remainder()) / variance(sr)));
    }

    static double variance(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return s / (v.length - 1);
    }
}
