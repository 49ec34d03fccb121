package dev.seriatim.timeseries.stats;

/** The standard normal distribution: density, CDF and quantile, to double precision. */
public final class Normal {

    private static final double SQRT2 = Math.sqrt(2);
    private static final double SQRT_PI = Math.sqrt(Math.PI);

    private Normal() {
    }

    public static double density(double x) {
        return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    /** P(Z <= x). */
    public static double cdf(double x) {
        if (x < 0) {
            return 0.5 * erfc(-x / SQRT2);
        }
        return 1 - 0.5 * erfc(x / SQRT2);
    }

    /** Upper-tail probability P(Z > x), accurate in the far tail. */
    public static double upperTail(double x) {
        return x >= 0 ? 0.5 * erfc(x / SQRT2) : 1 - 0.5 * erfc(-x / SQRT2);
    }

    /** The p-quantile, 0 < p < 1: Newton's method on the CDF from a bracketing start. */
    public static double quantile(double p) {
        if (!(p > 0 && p < 1)) {
            if (p == 0) {
                return Double.NEGATIVE_INFINITY;
            }
            if (p == 1) {
                return Double.POSITIVE_INFINITY;
            }
            throw new IllegalArgumentException("probability must be in [0, 1], got " + p);
        }
        if (p > 0.5) {
            return -quantile(1 - p);
        }
        // Lower tail: start from the tail approximation sqrt(-2 log p), then Newton (Halley) steps.
        double x = p > 0.3 ? (p - 0.5) * Math.sqrt(2 * Math.PI) : -Math.sqrt(-2 * Math.log(p))
                + Math.log(Math.sqrt(-4 * Math.PI * Math.log(p))) / Math.sqrt(-2 * Math.log(p));
        for (int i = 0; i < 60; i++) {
            double err = cdf(x) - p;
            double d = density(x);
            if (d == 0) {
                break;
            }
            double step = err / d;
            step = step / (1 + 0.5 * x * step);
            x -= step;
            if (Math.abs(step) < 1e-15 * Math.max(1, Math.abs(x))) {
                break;
            }
        }
        return x;
    }

    /**
     * erfc(x) for x >= 0: the series with positive terms for x < 3, Lentz's continued fraction
     * beyond, both accurate to a few ulps.
     */
    static double erfc(double x) {
        if (x < 3) {
            // erf(x) = 2/sqrt(pi) exp(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1))
            double term = x;
            double sum = x;
            double x2 = x * x;
            for (int n = 1; n < 200; n++) {
                term *= 2 * x2 / (2 * n + 1);
                sum += term;
                if (term < 1e-17 * sum) {
                    break;
                }
            }
            return 1 - 2 / SQRT_PI * Math.exp(-x2) * sum;
        }
        // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 500; n++) {
            double an = n / 2.0;
            d = x + an * d;
            d = d == 0 ? tiny : d;
            c = x + an / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) / SQRT_PI / f;
    }
}
