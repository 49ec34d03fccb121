package dev.seriatim.timeseries.arima;

/**
 * The exact likelihood of a stationary ARMA model on a series without missing values, by the
 * Chandrasekhar recursions of the Kalman filter (Morf, Sidhu and Kailath 1974): the numbers of
 * {@link ArimaStateSpace#filter} to rounding, at O(r) per step instead of O(r^2), and without
 * allocating: the workspace is sized for one order and reused by every evaluation.
 *
 * <p>Why it works: the filter starts at the stationary covariance P_1, which solves
 * P = T P T' + R R', so the first change P_2 - P_1 is the rank-one term -M M'/F of the update.
 * For a time-invariant model every later change stays rank one, P_{t+1} - P_t = s_t w_t w_t',
 * and w_t, s_t, the gain M_t = T P_t Z' and the innovation variance F_t = Z P_t Z' follow from
 * O(r) recursions without forming P at all. Only the first column of P_1 is needed.
 *
 * <p>Once an update leaves F and M unchanged in floating point the filter is steady: later steps
 * update only the state mean. Differenced models are not handled here: their diffuse start
 * (variance 1e6) makes the low-rank recursions lose about six digits to cancellation, which the
 * full filter, forgetting its rounding errors as it goes, does not.
 */
final class ChandrasekharFilter {

    /** Partial products of F_t (each at least 1) are flushed into the log sum before they can overflow. */
    private static final double FLUSH = 1e250;

    private final int r;
    private final double[] phi;
    private final double[] a;
    private final double[] gainM;
    private final double[] w;
    private final double[] tw;
    private final double[] firstColumn;

    /** A filter for ARMA models whose state has r = max(p, q + 1) elements. */
    ChandrasekharFilter(int r) {
        this.r = r;
        this.phi = new double[r];
        this.a = new double[r];
        this.gainM = new double[r];
        this.w = new double[r];
        this.tw = new double[r];
        this.firstColumn = new double[r];
    }

    /**
     * The likelihood pieces of x (no NaN) under AR polynomial arPoly and MA polynomial maPoly
     * with max(p, q + 1) = r. Throws {@link ArithmeticException} if the AR part is not
     * stationary.
     */
    ArimaStateSpace.Likelihood run(double[] arPoly, double[] maPoly, double[] x) {
        java.util.Arrays.fill(phi, 0);
        System.arraycopy(arPoly, 0, phi, 0, arPoly.length);
        StationaryCovariance.firstColumn(arPoly, maPoly, firstColumn);
        // F_1 = P_1[0][0], M_1 = T P_1[:,0]; P_2 - P_1 = -M_1 M_1'/F_1.
        double f = firstColumn[0];
        applyT(firstColumn, gainM);
        System.arraycopy(gainM, 0, w, 0, r);
        double s = -1 / f;
        java.util.Arrays.fill(a, 0);

        double ssq = 0;
        double sumLog = 0;
        double product = 1;
        boolean steady = false;
        int steadySteps = 0;
        int len = x.length;
        for (int t = 0; t < len; t++) {
            double v = x[t] - a[0];
            double vf = v / f;
            ssq += v * vf;
            // a_{t+1} = T a_t + M_t v_t / F_t
            double a0 = a[0];
            for (int i = 0; i < r - 1; i++) {
                a[i] = phi[i] * a0 + a[i + 1] + gainM[i] * vf;
            }
            a[r - 1] = phi[r - 1] * a0 + gainM[r - 1] * vf;
            if (steady) {
                steadySteps++;
                continue;
            }
            product *= f;
            if (product > FLUSH) {
                sumLog += Math.log(product);
                product = 1;
            }
            // The rank-one change: F += s c^2, M += s c T w, w <- (T - M Z / F) w,
            // s <- s - s^2 c^2 / F_new, with M and F before the step on the right.
            double c = w[0];
            applyT(w, tw);
            double sc = s * c;
            double fNew = f + sc * c;
            double k = c / f;
            boolean unchanged = fNew == f;
            for (int i = 0; i < r; i++) {
                double mi = gainM[i];
                double mNew = mi + sc * tw[i];
                unchanged &= mNew == mi;
                w[i] = tw[i] - mi * k;
                gainM[i] = mNew;
            }
            s -= sc * sc / fNew;
            f = fNew;
            steady = unchanged;
        }
        sumLog += Math.log(product) + steadySteps * Math.log(f);
        return new ArimaStateSpace.Likelihood(ssq, sumLog, len);
    }

    /** out = T x, T the companion matrix of phi (phi in column 0, ones above the diagonal). */
    private void applyT(double[] x, double[] out) {
        double x0 = x[0];
        for (int i = 0; i < r - 1; i++) {
            out[i] = phi[i] * x0 + x[i + 1];
        }
        out[r - 1] = phi[r - 1] * x0;
    }
}
