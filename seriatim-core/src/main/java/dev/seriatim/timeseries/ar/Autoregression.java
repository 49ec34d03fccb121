package dev.seriatim.timeseries.ar;

import dev.seriatim.timeseries.arima.ArimaEstimator;
import dev.seriatim.timeseries.arima.ArimaFit;
import dev.seriatim.timeseries.arima.ArimaOrder;
import dev.seriatim.timeseries.arima.ArimaSpec;
import dev.seriatim.timeseries.linalg.LeastSquares;

/**
 * AR(p) fits with the order chosen by AIC up to a maximum, as R's {@code ar()} (defaults:
 * demean, maximum order min(n - 1, floor(10 log10 n)), also at most 12 for MLE).
 *
 * <ul>
 *   <li>Yule-Walker: AIC = n log(v_k) + 2k + 2; var.pred = v_order * n / (n - order - 1).
 *   <li>Burg: the recursion's variance (R's var.method = 1).
 *   <li>OLS: for each order k, least squares of x_t on 1, x_{t-1}, .., x_{t-k} over the
 *       n - k rows that have all lags, on the series scaled by its standard deviation and
 *       demeaned (as R, which is scale-free up to rounding); var.pred = RSS / (n - k),
 *       AIC = n log(var.pred) + 2(k + 1); the intercept is R's x.intercept.
 *   <li>MLE: ARIMA(k,0,0) with a mean by exact maximum likelihood from zero starting values;
 *       var.pred is the likelihood's sigma2 (ssq / n), AIC the exact -2 loglik + 2(k + 2);
 *       order 0 is the sample mean and variance. R's ar.mle runs the older arima0 code,
 *       whose fast recursions approximate the likelihood, so estimates agree to about 1e-3.
 * </ul>
 */
public final class Autoregression {

    private Autoregression() {
    }

    /** R's default maximum order: min(n - 1, floor(10 log10 n)), and at most 12 for MLE. */
    public static int defaultMaxOrder(int n, ArMethod method) {
        int max = Math.min(n - 1, (int) Math.floor(10 * Math.log10(n)));
        return method == ArMethod.MLE ? Math.min(max, 12) : max;
    }

    public static ArFit fit(double[] series, ArMethod method) {
        return fit(series, method, defaultMaxOrder(series.length, method), true);
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
        Orders fits = new Orders(maxOrder, mean);
        switch (method) {
            case YULE_WALKER -> yuleWalker(x, maxOrder, fits);
            case BURG -> burg(x, maxOrder, fits);
            case OLS -> ols(x, maxOrder, fits);
            case MLE -> mle(series, maxOrder, chooseByAic, fits);
        }
        if (!(fits.vars[0] > 0)) {
            throw new IllegalArgumentException("the series is constant");
        }
        double[] aic = new double[maxOrder + 1];
        double best = Double.POSITIVE_INFINITY;
        int order = maxOrder;
        for (int k = 0; k <= maxOrder; k++) {
            aic[k] = switch (method) {
                case YULE_WALKER, BURG -> n * Math.log(fits.vars[k]) + 2 * k + 2;
                case OLS -> n * Math.log(fits.vars[k]) + 2 * (k + 1);
                case MLE -> fits.aic[k];
            };
            if (Double.isNaN(aic[k])) {
                aic[k] = Double.POSITIVE_INFINITY;
            }
            if (chooseByAic && aic[k] < best) {
                best = aic[k];
                order = k;
            }
        }
        if (fits.coefs[order] == null) {
            throw new IllegalArgumentException("an AR(" + order + ") could not be fitted by " + method);
        }
        double min = java.util.Arrays.stream(aic).min().orElse(0);
        for (int k = 0; k <= maxOrder; k++) {
            aic[k] -= min;
        }
        double variance = fits.vars[order];
        if (method == ArMethod.YULE_WALKER) {
            variance *= (double) n / (n - (order + 1));
        }
        return new ArFit(method, order, fits.coefs[order], fits.means[order], fits.intercepts[order], variance, aic);
    }

    /** Per order 0..max: coefficients (null when not fitted), variance, AIC (MLE), mean and intercept. */
    private static final class Orders {
        final double[][] coefs;
        final double[] vars, aic, means, intercepts;

        Orders(int maxOrder, double mean) {
            coefs = new double[maxOrder + 1][];
            vars = new double[maxOrder + 1];
            aic = new double[maxOrder + 1];
            means = new double[maxOrder + 1];
            intercepts = new double[maxOrder + 1];
            java.util.Arrays.fill(vars, Double.NaN);
            java.util.Arrays.fill(aic, Double.POSITIVE_INFINITY);
            java.util.Arrays.fill(means, mean);
        }
    }

    /** R's ar.ols: regressions on the scaled, demeaned series; stops at the first singular order as R does. */
    private static void ols(double[] x, int maxOrder, Orders out) {
        int n = x.length;
        double ss = 0;
        for (double v : x) {
            ss += v * v;
        }
        double sc = Math.sqrt(ss / (n - 1));
        if (!(sc > 0)) {
            sc = 1;
        }
        double[] z = new double[n];
        for (int t = 0; t < n; t++) {
            z[t] = x[t] / sc;
        }
        for (int k = 0; k <= maxOrder; k++) {
            int rows = n - k;
            double[] y = new double[rows];
            double[][] design = new double[rows][k + 1];
            for (int i = 0; i < rows; i++) {
                int t = i + k;
                y[i] = z[t];
                design[i][0] = 1;
                for (int j = 1; j <= k; j++) {
                    design[i][j] = z[t - j];
                }
            }
            LeastSquares.Result ls;
            try {
                ls = LeastSquares.fit(y, design);
            } catch (ArithmeticException e) {
                return;
            }
            double[] b = ls.coefficients();
            out.coefs[k] = java.util.Arrays.copyOfRange(b, 1, k + 1);
            out.intercepts[k] = b[0] * sc;
            out.vars[k] = ls.rss() / rows * sc * sc;
        }
    }

    /** R's ar.mle: ARIMA(k,0,0) with a mean by exact ML for each order (only maxOrder when not choosing). */
    private static void mle(double[] series, int maxOrder, boolean chooseByAic, Orders out) {
        int n = series.length;
        double var0 = 0;
        for (double v : series) {
            var0 += (v - out.means[0]) * (v - out.means[0]);
        }
        var0 /= n;
        out.coefs[0] = new double[0];
        out.vars[0] = var0;
        out.aic[0] = n * Math.log(var0) + 4 + n + n * Math.log(2 * Math.PI);
        for (int k = chooseByAic ? 1 : maxOrder; k <= maxOrder; k++) {
            ArimaFit f;
            try {
                f = ArimaEstimator.fit(series, ArimaSpec.of(ArimaOrder.of(k, 0, 0)).withMethod(ArimaSpec.Method.ML));
            } catch (IllegalArgumentException | ArithmeticException e) {
                continue;
            }
            out.coefs[k] = java.util.Arrays.copyOf(f.coefficients(), k);
            out.means[k] = f.coefficient("intercept");
            out.vars[k] = f.sigma2Mle();
            out.aic[k] = f.aic();
        }
    }

    /** Durbin-Levinson on the autocovariances (denominator n). */
    private static void yuleWalker(double[] x, int maxOrder, Orders out) {
        double[][] coefs = out.coefs;
        double[] vars = out.vars;
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
    private static void burg(double[] x, int maxOrder, Orders out) {
        double[][] coefs = out.coefs;
        double[] vars = out.vars;
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
