package dev.seriatim.timeseries.auto;

/**
 * The KPSS test of level stationarity (Kwiatkowski, Phillips, Schmidt and Shin 1992) as
 * forecast's ndiffs runs it through urca: statistic with a Bartlett long-run variance of
 * trunc(3 sqrt(n) / 13) lags; at the 5% level the null of stationarity is rejected when the
 * statistic exceeds the critical value 0.463 (p-values interpolate urca's table and are
 * clamped to [0.01, 0.10]).
 */
public final class KpssTest {

    private static final double[] CRITICAL = {0.347, 0.463, 0.574, 0.739};
    private static final double[] LEVELS = {0.10, 0.05, 0.025, 0.01};

    private KpssTest() {
    }

    /** The statistic for x (no missing values). */
    public static double statistic(double[] x) {
        int n = x.length;
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= n;
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = x[i] - mean;
        }
        double cum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            cum += e[i];
            sumSq += cum * cum;
        }
        int lags = (int) (3 * Math.sqrt(n) / 13);
        double s2 = 0;
        for (double v : e) {
            s2 += v * v;
        }
        s2 /= n;
        for (int l = 1; l <= lags; l++) {
            double acc = 0;
            for (int t = l; t < n; t++) {
                acc += e[t] * e[t - l];
            }
            s2 += 2.0 * (1 - l / (lags + 1.0)) * acc / n;
        }
        return sumSq / ((double) n * n) / s2;
    }

    /** urca's interpolated p-value, clamped to [0.01, 0.10]. */
    public static double pValue(double stat) {
        if (stat <= CRITICAL[0]) {
            return LEVELS[0];
        }
        for (int i = 1; i < CRITICAL.length; i++) {
            if (stat <= CRITICAL[i]) {
                double f = (stat - CRITICAL[i - 1]) / (CRITICAL[i] - CRITICAL[i - 1]);
                return LEVELS[i - 1] + f * (LEVELS[i] - LEVELS[i - 1]);
            }
        }
        return LEVELS[LEVELS.length - 1];
    }

    /**
     * forecast's ndiffs: how many first differences (up to maxD) until KPSS no longer rejects
     * at level alpha; missing values are dropped first.
     */
    public static int differencesNeeded(double[] series, double alpha, int maxD) {
        double[] x = dropMissing(series);
        int d = 0;
        if (x.length == 0 || constant(x)) {
            return d;
        }
        boolean diff = x.length > 1 && pValue(statistic(x)) < alpha;
        while (diff && d < maxD) {
            d++;
            x = difference(x, 1);
            if (x.length == 0 || constant(x)) {
                return d;
            }
            diff = x.length > 1 && pValue(statistic(x)) < alpha;
        }
        return d;
    }

    static double[] dropMissing(double[] x) {
        return java.util.Arrays.stream(x).filter(v -> !Double.isNaN(v)).toArray();
    }

    static boolean constant(double[] x) {
        for (double v : x) {
            if (!Double.isNaN(v) && v != x[0]) {
                return false;
            }
        }
        return true;
    }

    static double[] difference(double[] x, int lag) {
        double[] d = new double[Math.max(0, x.length - lag)];
        for (int i = 0; i < d.length; i++) {
            d[i] = x[i + lag] - x[i];
        }
        return d;
    }
}
