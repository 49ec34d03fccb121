package dev.seriatim.timeseries.ar;

/**
 * AR(p) fits with the order chosen by AIC up to a maximum, as R's {@code ar()} (defaults:
 * demean, maximum order min(n - 1, floor(10 log10 n)), AIC = n log(v_k) + 2k + 2).
 * Yule-Walker reports v_order * n / (n - order - 1) as the innovation variance, Burg the
 * recursion's variance (R's var.method = 1).
 */
public final class Autoregression {

    private Autoregression() {
    }

    public static ArFit fit(double[] series, ArMethod method) {
        int n = series.length;
        return fit(series, method, Math.min(n - 1, (int) Math.floor(10 * Math.log10(n))), true);
    }

    /** Fixed order when chooseByAic is false, otherwise the AIC-best order up to maxOrder. */
    public static ArFit fit(double[] series, ArMethod method, int maxOrder, boolean chooseByAic) {
        int n = series.length;
        for (double v : series) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("AR fitting needs a series without missing values");
            }
        }
        if (maxOrder < 1 || maxOrder >= n) {
            throw new IllegalArgumentException("the AR order must be between 1 and n - 1 = " + (n - 1) + ", got " + maxOrder);
        }
        double mean = 0;
        for (double v : series) {
            mean += v;
        }
        mean /= n;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = series[i] - mean;
        }
        double[][] coefs = new double[maxOrder + 1][];
        double[] vars = new double[maxOrder + 1];
        if (method == ArMethod.YULE_WALKER) {
            yuleWalker(x, maxOrder, coefs, vars);
        } else {
            burg(x, maxOrder, coefs, vars);
        }
        if (!(vars[0] > 0)) {
            throw new IllegalArgumentException("the series is constant");
        }
        double[] aic = new double[maxOrder + 1];
        double best = Double.POSITIVE_INFINITY;
        int order = maxOrder;
        for (int k = 0; k <= maxOrder; k++) {
            aic[k] = n * Math.log(vars[k]) + 2 * k + 2;
            if (chooseByAic && aic[k] < best) {
                best = aic[k];
                order = k;
            }
        }
        double min = java.util.Arrays.stream(aic).min().orElse(0);
        for (int k = 0; k <= maxOrder; k++) {
            aic[k] -= min;
        }
        double variance = vars[order];
        if (method == ArMethod.YULE_WALKER) {
            variance *= (double) n / (n - (order + 1));
        }
        return new ArFit(method, order, coefs[order], mean, variance, aic);
    }

    /** Durbin-Levinson on the autocovariances (denominator n). */
    private static void yuleWalker(double[] x, int maxOrder, double[][] coefs, double[] vars) {
        int n = x.length;
        double[] r = new double[maxOrder + 1];
        for (int k = 0; k <= maxOrder; k++) {
            double s = 0;
            for (int t = k; t < n; t++) {
                s += x[t] * x[t - k];
            }
            r[k] = s / n;
        }
        coefs[0] = new double[0];
        vars[0] = r[0];
        double[] prev = new double[0];
        for (int k = 1; k <= maxOrder; k++) {
            double num = r[k];
            for (int j = 1; j < k; j++) {
                num -= prev[j - 1] * r[k - j];
            }
            double kappa = num / vars[k - 1];
            double[] cur = new double[k];
            for (int j = 1; j < k; j++) {
                cur[j - 1] = prev[j - 1] - kappa * prev[k - j - 1];
            }
            cur[k - 1] = kappa;
            vars[k] = vars[k - 1] * (1 - kappa * kappa);
            coefs[k] = cur;
            prev = cur;
        }
    }

    /** Burg's recursion on forward (u) and backward (v) errors of the time-reversed series, as R's C code. */
    private static void burg(double[] x, int maxOrder, double[][] coefs, double[] vars) {
        int n = x.length;
        double[] u = new double[n];
        double[] v = new double[n];
        double[] u0 = new double[n];
        double sum = 0;
        for (int t = 0; t < n; t++) {
            u[t] = v[t] = x[n - 1 - t];
            sum += x[t] * x[t];
        }
        vars[0] = sum / n;
        coefs[0] = new double[0];
        double[] prev = new double[0];
        for (int p = 1; p <= maxOrder; p++) {
            double num = 0, den = 0;
            for (int t = p; t < n; t++) {
                num += v[t] * u[t - 1];
                den += v[t] * v[t] + u[t - 1] * u[t - 1];
            }
            double phi = 2 * num / den;
            double[] cur = new double[p];
            cur[p - 1] = phi;
            for (int j = 1; j < p; j++) {
                cur[j - 1] = prev[j - 1] - phi * prev[p - j - 1];
            }
            System.arraycopy(u, 0, u0, 0, n);
            for (int t = p; t < n; t++) {
                u[t] = u0[t - 1] - phi * v[t];
                v[t] = v[t] - phi * u0[t - 1];
            }
            vars[p] = vars[p - 1] * (1 - phi * phi);
            coefs[p] = cur;
            prev = cur;
        }
    }
}
