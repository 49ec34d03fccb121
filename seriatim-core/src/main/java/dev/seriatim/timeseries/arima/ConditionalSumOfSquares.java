package dev.seriatim.timeseries.arima;

/**
 * The conditional sum of squares of an ARIMA model (R's ARIMA_CSS): difference the series,
 * then run the ARMA recursion e_t = w_t - sum phi_j w_{t-j} - sum theta_j e_{t-j} from
 * t = ncond with the earlier innovations taken as zero. Returns the mean square of the
 * non-missing innovations.
 */
public final class ConditionalSumOfSquares {

    private ConditionalSumOfSquares() {
    }

    /** Differences y by (1-B)^d (1-B^m)^D in place of a copy; the first d + mD values keep junk. */
    static double[] differenced(double[] y, ArimaOrder o) {
        double[] w = y.clone();
        int len = w.length;
        for (int i = 0; i < o.d(); i++) {
            for (int t = len - 1; t > 0; t--) {
                w[t] -= w[t - 1];
            }
        }
        int m = o.period();
        for (int i = 0; i < o.seasonalD(); i++) {
            for (int t = len - 1; t >= m; t--) {
                w[t] -= w[t - m];
            }
        }
        return w;
    }

    /**
     * Mean square innovation; residuals (may be null) gets the innovations, zero before ncond.
     * w is the already differenced series.
     */
    static double meanSquare(double[] w, double[] phi, double[] theta, int ncond, double[] residuals) {
        int len = w.length;
        double[] e = residuals != null ? residuals : new double[len];
        java.util.Arrays.fill(e, 0, Math.min(ncond, len), 0);
        double ssq = 0;
        int count = 0;
        int p = phi.length, q = theta.length;
        for (int t = ncond; t < len; t++) {
            double v = w[t];
            for (int j = 0; j < p; j++) {
                v -= phi[j] * w[t - j - 1];
            }
            int lags = Math.min(t - ncond, q);
            for (int j = 0; j < lags; j++) {
                v -= theta[j] * e[t - j - 1];
            }
            e[t] = v;
            if (!Double.isNaN(v)) {
                count++;
                ssq += v * v;
            }
        }
        return ssq / count;
    }
}
