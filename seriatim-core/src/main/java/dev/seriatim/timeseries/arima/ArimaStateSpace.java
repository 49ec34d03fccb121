package dev.seriatim.timeseries.arima;

/**
 * The state-space form of an ARIMA model that R's arima uses (Harvey's representation plus
 * differencing states), with its Kalman filter.
 *
 * <p>State (length r + k, r = max(p, q+1), k = d + mD): the r ARMA states, then the last k
 * values of the undifferenced series. Transition: the ARMA block is the companion matrix of
 * phi; the first differencing state is the ARMA output plus delta applied to the previous k
 * values; the rest shift. Observation Z = (1, 0..0, delta). The ARMA block starts at its
 * stationary covariance, the differencing block is diffuse (variance kappa = 1e6, as R): the
 * first k innovations have huge variance and, as in R, innovations whose variance F_t is at
 * least 1e4 are left out of the likelihood.
 *
 * <p>The filter exploits the sparsity of T and Z: a step costs O((r+k)^2), not O((r+k)^3).
 * State and covariance are mutable: {@link #filter} leaves them at the end of the series, where
 * {@link #forecast} continues. An estimator reuses one instance for every evaluation
 * ({@link #reset}), so the likelihood allocates only the stationary covariance.
 */
public final class ArimaStateSpace {

    static final double KAPPA = 1e6;
    static final double DIFFUSE_GAIN = 1e4;
    static final double STEADY_TOLERANCE = 1e-9;

    private final double[] phi;
    private final double[] theta;
    private final double[] delta;
    private final int r;
    private final int n;
    private final double[] a;
    private final double[] pCov;
    private final double[] initialCov;
    private final double[] anew;
    private double[] pnew;
    /** The predicted covariance of the step before, for the steady-state test. */
    private double[] previous;
    private final double[] work;
    private final double[] m;

    /** The likelihood pieces of one pass: sum v^2/F, sum log F, and how many terms. */
    public record Likelihood(double ssq, double sumLog, int count) {

        /** R's objective: 0.5 (log(ssq/count) + sumLog/count). */
        public double objective() {
            return 0.5 * (Math.log(ssq / count) + sumLog / count);
        }
    }

    public ArimaStateSpace(double[] phi, double[] theta, double[] delta) {
        this.phi = phi.clone();
        this.r = Math.max(phi.length, theta.length + 1);
        this.theta = new double[r - 1];
        this.delta = delta;
        this.n = r + delta.length;
        this.a = new double[n];
        this.pCov = new double[n * n];
        this.initialCov = new double[n * n];
        this.anew = new double[n];
        this.pnew = new double[n * n];
        this.previous = new double[n * n];
        this.work = delta.length == 0 ? null : new double[n * n]; // only the differenced path needs it
        this.m = new double[n];
        for (int i = r; i < n; i++) {
            initialCov[i * n + i] = KAPPA;
        }
        reset(phi, theta);
    }

    /**
     * Replaces the ARMA coefficients (phi of the length given at construction, theta no longer
     * than r - 1) and recomputes the initial covariance, reusing every buffer. Throws
     * {@link ArithmeticException} if the AR part is not stationary.
     */
    void reset(double[] newPhi, double[] newTheta) {
        System.arraycopy(newPhi, 0, phi, 0, phi.length);
        java.util.Arrays.fill(theta, 0);
        System.arraycopy(newTheta, 0, theta, 0, newTheta.length);
        double[] q0 = StationaryCovariance.of(phi, newTheta);
        for (int i = 0; i < r; i++) {
            System.arraycopy(q0, i * r, initialCov, i * n, r);
        }
    }

    /** State dimension r + k. */
    public int dimension() {
        return n;
    }

    /**
     * Runs the filter over y from the initial state (zero mean, initial covariance); NaN values
     * are skipped (prediction only). Writes standardized innovations v_t / sqrt(F_t) into
     * residuals when it is not null (NaN where y is missing).
     */
    public Likelihood filter(double[] y, double[] residuals) {
        java.util.Arrays.fill(a, 0);
        double ssq = 0;
        double sumLog = 0;
        int count = 0;
        // Once the predicted covariance stops changing (to 1e-9 relative) the gain and F_t are
        // constant: later steps update only the state mean, O(r + k) instead of O((r+k)^2). R
        // always runs the full recursion; the log-likelihood differs by about 1e-9 relative.
        // (The filtered covariance is no test: when the state becomes known it tends to zero,
        // and its relative changes stay large, or are rounding noise after a diffuse start.)
        // The test compares two predictions with an update between them: across a missing value
        // a stationary start predicts the same covariance without having settled.
        boolean steady = false;
        boolean updated = false;
        double steadyGain = 0;
        double steadyLog = 0;
        for (int t = 0; t < y.length; t++) {
            predictState();
            if (steady) {
                if (Double.isNaN(y[t])) {
                    // Leave the steady state: the predicted covariance is pnew, still valid.
                    steady = false;
                    updated = false;
                    System.arraycopy(anew, 0, a, 0, n);
                    System.arraycopy(pnew, 0, pCov, 0, n * n);
                    if (residuals != null) {
                        residuals[t] = Double.NaN;
                    }
                    continue;
                }
                double v = y[t] - observe(anew);
                count++;
                ssq += v * v / steadyGain;
                sumLog += steadyLog;
                if (residuals != null) {
                    residuals[t] = v / Math.sqrt(steadyGain);
                }
                for (int i = 0; i < n; i++) {
                    a[i] = anew[i] + m[i] * v / steadyGain;
                }
                continue;
            }
            double[] swap = previous;
            previous = pnew;
            pnew = swap;
            if (t == 0) {
                System.arraycopy(initialCov, 0, pnew, 0, n * n);
            } else {
                predictCovariance();
            }
            if (Double.isNaN(y[t])) {
                System.arraycopy(anew, 0, a, 0, n);
                System.arraycopy(pnew, 0, pCov, 0, n * n);
                if (residuals != null) {
                    residuals[t] = Double.NaN;
                }
                updated = false;
                continue;
            }
            double v = y[t] - observe(anew);
            // m = Pnew Z'
            for (int i = 0; i < n; i++) {
                double s = pnew[i * n];
                for (int j = 0; j < delta.length; j++) {
                    s += pnew[i * n + r + j] * delta[j];
                }
                m[i] = s;
            }
            double gain = observe(m);
            if (gain < DIFFUSE_GAIN) {
                count++;
                ssq += v * v / gain;
                sumLog += Math.log(gain);
            }
            if (residuals != null) {
                residuals[t] = v / Math.sqrt(gain);
            }
            for (int i = 0; i < n; i++) {
                a[i] = anew[i] + m[i] * v / gain;
            }
            for (int i = 0; i < n; i++) {
                double mi = m[i] / gain;
                for (int j = 0; j < n; j++) {
                    pCov[i * n + j] = pnew[i * n + j] - mi * m[j];
                }
            }
            if (updated && gain < DIFFUSE_GAIN && settled()) {
                steady = true;
                steadyGain = gain;
                steadyLog = Math.log(gain);
            }
            updated = true;
        }
        return new Likelihood(ssq, sumLog, count);
    }

    /** True when the predicted covariance moved by at most STEADY_TOLERANCE of its size since the step before. */
    private boolean settled() {
        double change = 0;
        double size = 0;
        for (int i = 0; i < n * n; i++) {
            double v = pnew[i];
            change = Math.max(change, Math.abs(v - previous[i]));
            size = Math.max(size, Math.abs(v));
        }
        return change <= STEADY_TOLERANCE * size;
    }

    /**
     * Continues from the filtered end state h steps: point forecasts (into mean) and their
     * variances in units of sigma2 (into variance). Leaves the filtered state unchanged.
     */
    public void forecast(int h, double[] mean, double[] variance) {
        double[] saveA = a.clone();
        double[] saveP = pCov.clone();
        for (int s = 0; s < h; s++) {
            predictState();
            predictCovariance();
            System.arraycopy(anew, 0, a, 0, n);
            System.arraycopy(pnew, 0, pCov, 0, n * n);
            mean[s] = observe(a);
            for (int i = 0; i < n; i++) {
                double sum = pCov[i * n];
                for (int j = 0; j < delta.length; j++) {
                    sum += pCov[i * n + r + j] * delta[j];
                }
                m[i] = sum;
            }
            variance[s] = observe(m);
        }
        System.arraycopy(saveA, 0, a, 0, n);
        System.arraycopy(saveP, 0, pCov, 0, n * n);
    }

    /** A copy of the filtered state mean (after {@link #filter}). */
    public double[] state() {
        return a.clone();
    }

    /** A copy of the filtered state covariance (row-major, in units of sigma2). */
    public double[] covariance() {
        return pCov.clone();
    }

    /** Replaces the state mean, e.g. to continue a simulated path. */
    public void setState(double[] state) {
        System.arraycopy(state, 0, a, 0, n);
    }

    /** Advances the state mean one step with innovation e: a = T a + R e; returns Z a. */
    public double step(double e) {
        predictState();
        System.arraycopy(anew, 0, a, 0, n);
        a[0] += e;
        for (int i = 1; i < r; i++) {
            a[i] += theta[i - 1] * e;
        }
        return observe(a);
    }

    /** Z x = x[0] + delta . x[r..]. */
    private double observe(double[] x) {
        double s = x[0];
        for (int j = 0; j < delta.length; j++) {
            s += delta[j] * x[r + j];
        }
        return s;
    }

    /** anew = T a. */
    private void predictState() {
        applyT(a, 0, 1, anew, 0, 1);
    }

    /** pnew = T P T' + R R'. */
    private void predictCovariance() {
        if (delta.length == 0) {
            predictArmaCovariance();
            return;
        }
        // work = T P as whole-row operations (contiguous), then pnew = work T' (T applied to rows).
        int k = delta.length;
        for (int i = 0; i < r; i++) {
            double phiI = i < phi.length ? phi[i] : 0;
            int out = i * n;
            if (i < r - 1) {
                int next = (i + 1) * n;
                for (int c = 0; c < n; c++) {
                    work[out + c] = phiI * pCov[c] + pCov[next + c];
                }
            } else {
                for (int c = 0; c < n; c++) {
                    work[out + c] = phiI * pCov[c];
                }
            }
        }
        int first = r * n;
        System.arraycopy(pCov, 0, work, first, n);
        for (int j = 0; j < k; j++) {
            double dj = delta[j];
            if (dj == 0) {
                continue;
            }
            int row = (r + j) * n;
            for (int c = 0; c < n; c++) {
                work[first + c] += dj * pCov[row + c];
            }
        }
        for (int j = 1; j < k; j++) {
            System.arraycopy(pCov, (r + j - 1) * n, work, (r + j) * n, n);
        }
        for (int row = 0; row < n; row++) {
            applyT(work, row * n, 1, pnew, row * n, 1);
        }
        for (int i = 0; i < r; i++) {
            double vi = i == 0 ? 1 : theta[i - 1];
            if (vi == 0) {
                continue;
            }
            for (int j = 0; j < r; j++) {
                double vj = j == 0 ? 1 : theta[j - 1];
                pnew[i * n + j] += vi * vj;
            }
        }
    }

    /**
     * pnew = T P T' + R R' without differencing states, in one pass (T is the companion matrix):
     * entry (i, j) is phi_i phi_j P00 + phi_i P[0][j+1] + phi_j P[i+1][0] + P[i+1][j+1] + R_i R_j.
     */
    private void predictArmaCovariance() {
        int p = phi.length;
        double p00 = pCov[0];
        for (int i = 0; i < r; i++) {
            double phiI = i < p ? phi[i] : 0;
            double ri = i == 0 ? 1 : theta[i - 1];
            boolean shiftI = i < r - 1;
            for (int j = i; j < r; j++) {
                double phiJ = j < p ? phi[j] : 0;
                double rj = j == 0 ? 1 : theta[j - 1];
                double v = ri * rj + phiI * phiJ * p00;
                if (j < r - 1) {
                    v += phiI * pCov[j + 1];
                    if (shiftI) {
                        v += pCov[(i + 1) * n + j + 1];
                    }
                }
                if (shiftI) {
                    v += phiJ * pCov[i + 1];
                }
                pnew[i * n + j] = v;
                pnew[j * n + i] = v;
            }
        }
    }

    /** out = T x for a strided vector x (stride 1 for a row, n for a column). */
    private void applyT(double[] x, int xOff, int xStride, double[] out, int oOff, int oStride) {
        double x0 = x[xOff];
        for (int i = 0; i < r; i++) {
            double v = i < r - 1 ? x[xOff + (i + 1) * xStride] : 0;
            if (i < phi.length) {
                v += phi[i] * x0;
            }
            out[oOff + i * oStride] = v;
        }
        int k = delta.length;
        if (k > 0) {
            double v = x0;
            for (int j = 0; j < k; j++) {
                v += delta[j] * x[xOff + (r + j) * xStride];
            }
            for (int j = k - 1; j >= 1; j--) {
                out[oOff + (r + j) * oStride] = x[xOff + (r + j - 1) * xStride];
            }
            out[oOff + r * oStride] = v;
        }
    }
}
