package dev.seriatim.timeseries.decompose;

/**
 * STL, Seasonal-Trend decomposition by Loess (Cleveland, Cleveland, McRae and Terpenning
 * 1990), non-robust, with R's {@code stl()} defaults for everything but the seasonal window:
 * local-constant seasonal smoothing, local-linear trend and low-pass smoothing, windows
 * t = nextodd(1.5 m / (1 - 1.5 / s)), l = nextodd(m), and loess evaluated every
 * ceil(window / 10) points with linear interpolation between (the "jumps"), two inner passes.
 */
public final class Stl {

    /** The three components; data = seasonal + trend + remainder. */
    public record Decomposition(double[] seasonal, double[] trend, double[] remainder) {
    }

    private Stl() {
    }

    public static Decomposition decompose(double[] y, int period, int seasonalWindow) {
        int n = y.length;
        int np = Math.max(2, period);
        int ns = odd(Math.max(3, seasonalWindow));
        int nt = odd(Math.max(3, nextOdd(Math.ceil(1.5 * period / (1 - 1.5 / seasonalWindow)))));
        int nl = odd(Math.max(3, nextOdd(period)));
        int sJump = (int) Math.ceil(ns / 10.0);
        int tJump = (int) Math.ceil(nt / 10.0);
        int lJump = (int) Math.ceil(nl / 10.0);
        double[] trend = new double[n];
        double[] season = new double[n];
        double[] work1 = new double[n + 2 * np];
        double[] cycle = new double[n + 2 * np];
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < n; i++) {
                work1[i] = y[i] - trend[i];
            }
            cycleSubseries(work1, n, np, ns, 0, sJump, cycle);
            double[] low = lowPass(cycle, n + 2 * np, np);
            double[] lowSmooth = new double[n];
            smooth(low, n, nl, 1, lJump, lowSmooth);
            for (int i = 0; i < n; i++) {
                season[i] = cycle[np + i] - lowSmooth[i];
                work1[i] = y[i] - season[i];
            }
            smooth(work1, n, nt, 1, tJump, trend);
        }
        double[] remainder = new double[n];
        for (int i = 0; i < n; i++) {
            remainder[i] = y[i] - season[i] - trend[i];
        }
        return new Decomposition(season, trend, remainder);
    }

    private static int nextOdd(double x) {
        long r = Math.round(x);
        return (int) (r % 2 == 0 ? r + 1 : r);
    }

    private static int odd(int x) {
        return x % 2 == 0 ? x + 1 : x;
    }

    /** Smooths each cycle-subseries and extends it one period at both ends (length n + 2 np). */
    private static void cycleSubseries(double[] y, int n, int np, int ns, int degree, int jump, double[] out) {
        for (int j = 0; j < np; j++) {
            int k = (n - j - 1) / np + 1;
            double[] sub = new double[k];
            for (int i = 0; i < k; i++) {
                sub[i] = y[i * np + j];
            }
            double[] smoothed = new double[k + 2];
            double[] inner = new double[k];
            smooth(sub, k, ns, degree, jump, inner);
            System.arraycopy(inner, 0, smoothed, 1, k);
            double left = estimate(sub, k, ns, degree, 0, 1, Math.min(ns, k));
            smoothed[0] = Double.isNaN(left) ? smoothed[1] : left;
            double right = estimate(sub, k, ns, degree, k + 1, Math.max(1, k - ns + 1), k);
            smoothed[k + 1] = Double.isNaN(right) ? smoothed[k] : right;
            for (int m = 0; m < k + 2; m++) {
                out[m * np + j] = smoothed[m];
            }
        }
    }

    /** Moving averages of lengths np, np and 3: output length len - 2 np. */
    private static double[] lowPass(double[] x, int len, int np) {
        double[] a = movingAverage(x, len, np);
        double[] b = movingAverage(a, a.length, np);
        return movingAverage(b, b.length, 3);
    }

    private static double[] movingAverage(double[] x, int len, int window) {
        int outLen = len - window + 1;
        double[] ave = new double[outLen];
        double v = 0;
        for (int i = 0; i < window; i++) {
            v += x[i];
        }
        ave[0] = v / window;
        for (int j = 1; j < outLen; j++) {
            v = v - x[j - 1] + x[j + window - 1];
            ave[j] = v / window;
        }
        return ave;
    }

    /** Loess of y[0..n) at every point, computed every jump points and interpolated between. */
    static void smooth(double[] y, int n, int len, int degree, int jump, double[] ys) {
        if (n < 2) {
            ys[0] = y[0];
            return;
        }
        int step = Math.min(jump, n - 1);
        int nleft = 1, nright = n;
        if (len >= n) {
            for (int i = 1; i <= n; i += step) {
                ys[i - 1] = orFallback(estimate(y, n, len, degree, i, 1, n), y[i - 1]);
            }
        } else if (step == 1) {
            int half = (len + 1) / 2;
            nleft = 1;
            nright = len;
            for (int i = 1; i <= n; i++) {
                if (i > half && nright != n) {
                    nleft++;
                    nright++;
                }
                ys[i - 1] = orFallback(estimate(y, n, len, degree, i, nleft, nright), y[i - 1]);
            }
        } else {
            int half = (len + 1) / 2;
            for (int i = 1; i <= n; i += step) {
                if (i < half) {
                    nleft = 1;
                    nright = len;
                } else if (i >= n - half + 1) {
                    nleft = n - len + 1;
                    nright = n;
                } else {
                    nleft = i - half + 1;
                    nright = len + i - half;
                }
                ys[i - 1] = orFallback(estimate(y, n, len, degree, i, nleft, nright), y[i - 1]);
            }
        }
        if (step != 1) {
            for (int i = 1; i <= n - step; i += step) {
                double delta = (ys[i + step - 1] - ys[i - 1]) / step;
                for (int j = i + 1; j <= i + step - 1; j++) {
                    ys[j - 1] = ys[i - 1] + delta * (j - i);
                }
            }
            int k = ((n - 1) / step) * step + 1;
            if (k != n) {
                if (len >= n) {
                    nleft = 1;
                    nright = n;
                }
                ys[n - 1] = orFallback(estimate(y, n, len, degree, n, nleft, nright), y[n - 1]);
                if (k != n - 1) {
                    double delta = (ys[n - 1] - ys[k - 1]) / (n - k);
                    for (int j = k + 1; j <= n - 1; j++) {
                        ys[j - 1] = ys[k - 1] + delta * (j - k);
                    }
                }
            }
        }
    }

    private static double orFallback(double v, double fallback) {
        return Double.isNaN(v) ? fallback : v;
    }

    /**
     * The loess fit at xs (1-based positions) from points nleft..nright with tricube weights;
     * NaN when no point has weight.
     */
    static double estimate(double[] y, int n, int len, int degree, double xs, int nleft, int nright) {
        double range = n - 1.0;
        double h = Math.max(xs - nleft, nright - xs);
        if (len > n) {
            h += (len - n) / 2;
        }
        double h9 = 0.999 * h;
        double h1 = 0.001 * h;
        double[] w = new double[nright - nleft + 1];
        double a = 0;
        for (int j = nleft; j <= nright; j++) {
            double r = Math.abs(j - xs);
            double wj = 0;
            if (r <= h9) {
                if (r <= h1) {
                    wj = 1;
                } else {
                    double u = r / h;
                    double c = 1 - u * u * u;
                    wj = c * c * c;
                }
                a += wj;
            }
            w[j - nleft] = wj;
        }
        if (a <= 0) {
            return Double.NaN;
        }
        for (int j = 0; j < w.length; j++) {
            w[j] /= a;
        }
        if (h > 0 && degree > 0) {
            double mean = 0;
            for (int j = nleft; j <= nright; j++) {
                mean += w[j - nleft] * j;
            }
            double b = xs - mean;
            double c = 0;
            for (int j = nleft; j <= nright; j++) {
                c += w[j - nleft] * (j - mean) * (j - mean);
            }
            if (Math.sqrt(c) > 0.001 * range) {
                b /= c;
                for (int j = nleft; j <= nright; j++) {
                    w[j - nleft] *= b * (j - mean) + 1;
                }
            }
        }
        double ys = 0;
        for (int j = nleft; j <= nright; j++) {
            ys += w[j - nleft] * y[j - 1];
        }
        return ys;
    }
}
