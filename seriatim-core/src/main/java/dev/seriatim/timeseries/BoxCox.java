package dev.seriatim.timeseries;

/**
 * The Box-Cox transform as R forecast defines it: log(x) for lambda = 0, otherwise
 * (sign(x)|x|^lambda - 1) / lambda; negative values become NaN when lambda < 0.
 */
public final class BoxCox {

    private BoxCox() {
    }

    public static double[] transform(double[] x, double lambda) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = transform(x[i], lambda);
        }
        return out;
    }

    public static double transform(double x, double lambda) {
        if (lambda < 0 && x < 0) {
            return Double.NaN;
        }
        if (lambda == 0) {
            return Math.log(x);
        }
        return (Math.signum(x) * Math.pow(Math.abs(x), lambda) - 1) / lambda;
    }

    /** The inverse (forecast's InvBoxCox without bias adjustment: a median on the original scale). */
    public static double inverse(double y, double lambda) {
        if (lambda == 0) {
            return Math.exp(y);
        }
        double z = y * lambda + 1;
        if (lambda < 0 && z < 0) {
            return Double.NaN;
        }
        return Math.signum(z) * Math.pow(Math.abs(z), 1 / lambda);
    }

    /**
     * forecast's InvBoxCox with {@code biasadj = TRUE}: the mean on the original scale of a
     * transformed value with this mean and variance, by a second-order Taylor expansion:
     * inverse(y) * (1 + variance (1 - lambda) / (2 inverse(y)^(2 lambda))). For lambda = 0 it is
     * exp(y) (1 + variance / 2).
     */
    public static double inverseMean(double y, double lambda, double variance) {
        double median = inverse(y, lambda);
        return median * (1 + 0.5 * variance * (1 - lambda) / Math.pow(median, 2 * lambda));
    }
}
