package dev.seriatim.timeseries.auto;

/** Fills missing values (NaN) by straight lines between neighbours; ends take the nearest value. */
final class Interpolation {

    private Interpolation() {
    }

    static double[] linear(double[] x) {
        double[] y = x.clone();
        int n = y.length;
        int prev = -1;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(y[i])) {
                continue;
            }
            if (prev < 0) {
                for (int j = 0; j < i; j++) {
                    y[j] = y[i];
                }
            } else if (i - prev > 1) {
                for (int j = prev + 1; j < i; j++) {
                    y[j] = y[prev] + (y[i] - y[prev]) * (j - prev) / (i - prev);
                }
            }
            prev = i;
        }
        for (int j = prev + 1; prev >= 0 && j < n; j++) {
            y[j] = y[prev];
        }
        return y;
    }
}
