package dev.seriatim.timeseries.evaluate;

/**
 * Forecast accuracy per horizon step, pooled over forecast origins: MAE, RMSE, MAPE, sMAPE
 * (percent, as R forecast's accuracy()), MASE (scaled by the in-sample seasonal naive MAE),
 * and for each interval level its coverage and Winkler score
 * (width + (2 / alpha) * distance outside the interval).
 *
 * @param count forecasts scored at each step
 * @param levels interval levels in percent
 * @param coverage coverage[i][s]: share of actuals inside the level-i interval at step s+1
 * @param winkler winkler[i][s]: mean Winkler score
 */
public record Accuracy(int[] count, double[] mae, double[] rmse, double[] mape, double[] smape, double[] mase,
        double[] levels, double[][] coverage, double[][] winkler) {

    public int horizon() {
        return count.length;
    }

    /** Accumulates scored forecasts step by step. */
    public static final class Builder {
        private final int h;
        private final double[] levels;
        private final int[] n;
        private final int[] nPct;
        private final double[] abs, sq, pct, spct, scaled;
        private final double[][] inside, wink;

        public Builder(int horizon, double[] levels) {
            this.h = horizon;
            this.levels = levels.clone();
            n = new int[h];
            nPct = new int[h];
            abs = new double[h];
            sq = new double[h];
            pct = new double[h];
            spct = new double[h];
            scaled = new double[h];
            inside = new double[levels.length][h];
            wink = new double[levels.length][h];
        }

        /**
         * One forecast origin. scale is the in-sample seasonal naive MAE of its training data;
         * lower/upper are [level][step]. Missing actuals are skipped.
         */
        public void add(double[] actual, double[] mean, double[][] lower, double[][] upper, double scale) {
            for (int s = 0; s < Math.min(h, actual.length); s++) {
                double a = actual[s];
                if (Double.isNaN(a)) {
                    continue;
                }
                double e = a - mean[s];
                n[s]++;
                abs[s] += Math.abs(e);
                sq[s] += e * e;
                scaled[s] += Math.abs(e) / scale;
                if (a != 0) {
                    nPct[s]++;
                    pct[s] += 100 * Math.abs(e / a);
                    spct[s] += 200 * Math.abs(e) / (Math.abs(a) + Math.abs(mean[s]));
                }
                for (int i = 0; i < levels.length; i++) {
                    double lo = lower[i][s], hi = upper[i][s];
                    double alpha = 1 - levels[i] / 100;
                    double w = hi - lo;
                    if (a < lo) {
                        w += 2 / alpha * (lo - a);
                    } else if (a > hi) {
                        w += 2 / alpha * (a - hi);
                    } else {
                        inside[i][s]++;
                    }
                    wink[i][s] += w;
                }
            }
        }

        public Accuracy build() {
            double[] mae = new double[h], rmse = new double[h], mape = new double[h], smape = new double[h],
                    mase = new double[h];
            double[][] cov = new double[levels.length][h], wk = new double[levels.length][h];
            for (int s = 0; s < h; s++) {
                mae[s] = abs[s] / n[s];
                rmse[s] = Math.sqrt(sq[s] / n[s]);
                mape[s] = pct[s] / nPct[s];
                smape[s] = spct[s] / nPct[s];
                mase[s] = scaled[s] / n[s];
                for (int i = 0; i < levels.length; i++) {
                    cov[i][s] = inside[i][s] / n[s];
                    wk[i][s] = wink[i][s] / n[s];
                }
            }
            return new Accuracy(n.clone(), mae, rmse, mape, smape, mase, levels.clone(), cov, wk);
        }
    }

    /** Mean |y_t - y_{t-m}| over the training data (m = 1 for non-seasonal): MASE's denominator. */
    public static double seasonalNaiveScale(double[] y, int m) {
        int lag = Math.max(1, m);
        double s = 0;
        int c = 0;
        for (int t = lag; t < y.length; t++) {
            double d = y[t] - y[t - lag];
            if (!Double.isNaN(d)) {
                s += Math.abs(d);
                c++;
            }
        }
        return s / c;
    }
}
