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
}
