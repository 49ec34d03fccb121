package dev.seriatim.timeseries.arima;

import dev.seriatim.timeseries.linalg.LinearSolver;

/**
 * The covariance of the ARMA state vector in its stationary distribution: the solution of the
 * discrete Lyapunov equation P = T P T' + R R' for the companion-form transition T of the
 * state space (phi in the first column, ones on the superdiagonal) and R = (1, theta_1, ...).
 *
 * <p>Computed exactly from the process itself rather than by solving the r(r+1)/2 linear
 * equations (which costs O(r^6) and is slow for seasonal models, r = 25 and more): state i is
 * a_t[i] = sum_k (phi_{i+1+k} y_{t-1-k} + theta_{i+k} e_{t-k}), so its covariances follow from
 * the autocovariances of y (a (p+1)-dimensional linear system) and the psi weights
 * Cov(y_s, e_u) = psi_{s-u}. Zero coefficients, the norm in seasonal models, are skipped.
 * R computes the same matrix by Gardner et al.'s (1980) algorithm; the two agree to rounding
 * for stationary models.
 */
public final class StationaryCovariance {

    private StationaryCovariance() {
    }

    /**
     * The r x r covariance (row-major), r = max(p, q + 1), for AR polynomial phi (length p) and MA
     * polynomial theta (length q), in units of the innovation variance; throws
     * {@link ArithmeticException} if the AR part is not stationary.
     */
    public static double[] of(double[] phi, double[] theta) {
        int p = phi.length;
        int q = theta.length;
        int r = Math.max(p, q + 1);
        // phiPad[j] = phi_j for j = 1..r (zero beyond p); thetaPad[j] = theta_j, theta_0 = 1.
        double[] phiPad = padded(0, phi, r);
        double[] thetaPad = padded(1, theta, r);
        double[] psi = psiWeights(phiPad, p, thetaPad, r);
        double[] gamma = autocovariances(phiPad, p, thetaPad, q, psi, r);
        int[] phiIdx = nonZero(phiPad, 1, r);
        int[] thetaIdx = nonZero(thetaPad, 0, r - 1);
        double[] cov = new double[r * r];
        for (int i = 0; i < r; i++) {
            for (int j = i; j < r; j++) {
                double s = 0;
                // phi phi gamma: k = a - i - 1, l = b - j - 1 for phi indices a, b
                for (int a : phiIdx) {
                    int k = a - i - 1;
                    if (k < 0) {
                        continue;
                    }
                    for (int b : phiIdx) {
                        int l = b - j - 1;
                        if (l < 0) {
                            continue;
                        }
                        s += phiPad[a] * phiPad[b] * gamma[Math.abs(k - l)];
                    }
                    // phi_{i+1+k} theta_{j+l} Cov(y_{t-1-k}, e_{t-l}) = psi_{l-k-1}, l >= k+1
                    for (int b : thetaIdx) {
                        int l = b - j;
                        if (l < 0 || l < k + 1) {
                            continue;
                        }
                        s += phiPad[a] * thetaPad[b] * psi[l - k - 1];
                    }
                }
                for (int a : thetaIdx) {
                    int k = a - i;
                    if (k < 0) {
                        continue;
                    }
                    // theta_{i+k} phi_{j+1+l} Cov(e_{t-k}, y_{t-1-l}) = psi_{k-l-1}, k >= l+1
                    for (int b : phiIdx) {
                        int l = b - j - 1;
                        if (l < 0 || k < l + 1) {
                            continue;
                        }
                        s += thetaPad[a] * phiPad[b] * psi[k - l - 1];
                    }
                    int b = j + k;
                    if (b <= r - 1) {
                        s += thetaPad[a] * thetaPad[b];
                    }
                }
                cov[i * r + j] = s;
                cov[j * r + i] = s;
            }
        }
        return cov;
    }

    /**
     * Column 0 of {@link #of} into out (length r): the covariances of the first state, the
     * series value y_t itself, with every state a_t[j] = sum_k phi_{j+1+k} y_{t-1-k} +
     * sum_k theta_{j+k} e_{t-k}, i.e. sum_k phi_{j+1+k} gamma(k+1) + sum_k theta_{j+k} psi_k.
     * O(r^2) where the whole matrix costs O(r^4); all the Chandrasekhar recursions need.
     */
    static void firstColumn(double[] phi, double[] theta, double[] out) {
        int p = phi.length;
        int q = theta.length;
        int r = Math.max(p, q + 1);
        double[] phiPad = padded(0, phi, r);
        double[] thetaPad = padded(1, theta, r);
        double[] psi = psiWeights(phiPad, p, thetaPad, r);
        double[] gamma = autocovariances(phiPad, p, thetaPad, q, psi, r);
        out[0] = gamma[0];
        for (int j = 1; j < r; j++) {
            double s = 0;
            for (int i = j + 1; i <= p; i++) {
                s += phiPad[i] * gamma[i - j];
            }
            for (int i = j; i <= q; i++) {
                s += thetaPad[i] * psi[i - j];
            }
            out[j] = s;
        }
    }

    /** psi_0..psi_r of the MA(infinity) form: psi_j = theta_j + sum_i phi_i psi_{j-i}. */
    private static double[] psiWeights(double[] phiPad, int p, double[] thetaPad, int r) {
        double[] psi = new double[r + 1];
        for (int j = 0; j <= r; j++) {
            double v = thetaPad[j];
            for (int i = 1; i <= Math.min(j, p); i++) {
                v += phiPad[i] * psi[j - i];
            }
            psi[j] = v;
        }
        return psi;
    }

    /**
     * gamma(0..r) of the ARMA process with unit innovation variance: solve
     * gamma(k) - sum_j phi_j gamma(|k-j|) = sum_{j>=k} theta_j psi_{j-k} for k = 0..p, then
     * continue the recursion.
     */
    static double[] autocovariances(double[] phiPad, int p, double[] thetaPad, int q, double[] psi, int r) {
        double[] c = new double[r + 1];
        for (int k = 0; k <= Math.min(q, r); k++) {
            double v = 0;
            for (int j = k; j <= q; j++) {
                v += thetaPad[j] * psi[j - k];
            }
            c[k] = v;
        }
        int size = p + 1;
        double[] a = new double[size * size];
        double[] g = new double[size];
        for (int k = 0; k <= p; k++) {
            a[k * size + k] += 1;
            for (int j = 1; j <= p; j++) {
                a[k * size + Math.abs(k - j)] -= phiPad[j];
            }
            g[k] = c[k];
        }
        LinearSolver.factor(a, size).solveInPlace(g);
        double[] gamma = new double[r + 1];
        System.arraycopy(g, 0, gamma, 0, Math.min(size, r + 1));
        for (int k = size; k <= r; k++) {
            double v = c[k];
            for (int j = 1; j <= p; j++) {
                v += phiPad[j] * gamma[k - j];
            }
            gamma[k] = v;
        }
        if (!(gamma[0] > 0) || !Double.isFinite(gamma[0])) {
            throw new ArithmeticException("non-stationary AR part");
        }
        return gamma;
    }

    private static int[] nonZero(double[] v, int from, int to) {
        int count = 0;
        for (int i = from; i <= to; i++) {
            if (v[i] != 0) {
                count++;
            }
        }
        int[] idx = new int[count];
        int k = 0;
        for (int i = from; i <= to; i++) {
            if (v[i] != 0) {
                idx[k++] = i;
            }
        }
        return idx;
    }

    /** {lead, c_1, ..., c_len, 0, ...} of length r + 1: a polynomial's coefficients by lag. */
    private static double[] padded(double lead, double[] c, int r) {
        double[] out = new double[r + 1];
        out[0] = lead;
        System.arraycopy(c, 0, out, 1, c.length);
        return out;
    }
}
