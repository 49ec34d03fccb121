package dev.seriatim.timeseries.arima;

/**
 * The reparametrisation that keeps AR polynomials stationary during maximum likelihood, as R's
 * arima does: unconstrained reals -> tanh -> partial autocorrelations in (-1, 1) -> AR
 * coefficients by the Durbin-Levinson recursion. Every real vector maps to a stationary AR.
 */
public final class PacfTransform {

    private PacfTransform() {
    }

    /** Unconstrained values -> AR coefficients (R's partrans). */
    public static double[] toAr(double[] raw, int from, int count) {
        double[] phi = new double[count];
        double[] work = new double[count];
        for (int j = 0; j < count; j++) {
            phi[j] = work[j] = Math.tanh(raw[from + j]);
        }
        for (int j = 1; j < count; j++) {
            double a = phi[j];
            for (int k = 0; k < j; k++) {
                work[k] -= a * phi[j - k - 1];
            }
            System.arraycopy(work, 0, phi, 0, j);
        }
        return phi;
    }

    /** AR coefficients -> unconstrained values (R's invpartrans); the AR must be stationary. */
    public static double[] fromAr(double[] ar, int from, int count) {
        double[] pacf = new double[count];
        double[] work = new double[count];
        for (int j = 0; j < count; j++) {
            pacf[j] = work[j] = ar[from + j];
        }
        // Durbin-Levinson backwards: the AR coefficients of each lower order in turn.
        for (int j = count - 1; j > 0; j--) {
            double a = pacf[j];
            for (int k = 0; k < j; k++) {
                work[k] = (pacf[k] + a * pacf[j - k - 1]) / (1 - a * a);
            }
            System.arraycopy(work, 0, pacf, 0, j);
        }
        for (int j = 0; j < count; j++) {
            pacf[j] = atanh(pacf[j]);
        }
        return pacf;
    }

    /**
     * The partial autocorrelations of a stationary AR, or null when it is not stationary (some
     * |pacf| >= 1 along the way). An exact stationarity test without polynomial roots.
     */
    public static double[] pacfOrNull(double[] ar) {
        int count = ar.length;
        double[] pacf = ar.clone();
        double[] work = new double[count];
        for (int j = count - 1; j >= 0; j--) {
            double a = pacf[j];
            if (!(Math.abs(a) < 1)) {
                return null;
            }
            for (int k = 0; k < j; k++) {
                work[k] = (pacf[k] + a * pacf[j - k - 1]) / (1 - a * a);
            }
            System.arraycopy(work, 0, pacf, 0, j);
        }
        return pacf;
    }

    private static double atanh(double x) {
        return 0.5 * Math.log((1 + x) / (1 - x));
    }
}
