package dev.seriatim.timeseries;

import dev.seriatim.timeseries.optim.BrentMinimizer;

/**
 * Guerrero's (1993) choice of the Box-Cox lambda as R forecast's BoxCox.lambda(method =
 * "guerrero"): split the series into consecutive subseries of one season (at least 2
 * observations; the oldest incomplete season dropped) and pick lambda in [-1, 2] that
 * minimises the coefficient of variation of sd_i / mean_i^(1 - lambda).
 */
public final class GuerreroLambda {

    private GuerreroLambda() {
    }

    public static double of(double[] x, int frequency) {
        for (double v : x) {
            if (v <= 0) {
                throw new IllegalArgumentException("an automatic Box-Cox lambda needs positive data");
            }
        }
        int period = Math.max(2, frequency);
        int n = x.length;
        int years = n / period;
        if (years < 2) {
            throw new IllegalArgumentException("an automatic Box-Cox lambda needs at least two seasons of data");
        }
        double[] mean = new double[years];
        double[] sd = new double[years];
        int start = n - years * period;
        for (int j = 0; j < years; j++) {
            double s = 0;
            int c = 0;
            for (int i = 0; i < period; i++) {
                double v = x[start + j * period + i];
                if (!Double.isNaN(v)) {
                    s += v;
                    c++;
                }
            }
            double mu = s / c;
            double ss = 0;
            for (int i = 0; i < period; i++) {
                double v = x[start + j * period + i];
                if (!Double.isNaN(v)) {
                    ss += (v - mu) * (v - mu);
                }
            }
            mean[j] = mu;
            sd[j] = Math.sqrt(ss / (c - 1));
        }
        return BrentMinimizer.minimize(lambda -> {
            double[] ratio = new double[years];
            for (int j = 0; j < years; j++) {
                ratio[j] = sd[j] / Math.pow(mean[j], 1 - lambda);
            }
            double mu = 0;
            for (double r : ratio) {
                mu += r;
            }
            mu /= years;
            double ss = 0;
            for (double r : ratio) {
                ss += (r - mu) * (r - mu);
            }
            return Math.sqrt(ss / (years - 1)) / mu;
        }, -1, 2, Math.pow(Math.ulp(1.0), 0.25));
    }
}
