package dev.seriatim.timeseries.arima;

import dev.seriatim.timeseries.linalg.LinearSolver;

/**
 * The covariance of the ARMA state vector in its stationary distribution: the solution of the
 * discrete Lyapunov equation P = T P T' + R R' for the companion-form transition T of the
 * state space (phi in the first column, ones on the superdiagonal) and R = (1, theta_1, ...).
 *
 * <p>Solved exactly as one linear system in the r(r+1)/2 distinct entries of the symmetric P.
 * R computes the same matrix by Gardner et al.'s (1980) algorithm; the two agree to rounding
 * for stationary models (R's alternative "Rossignol2011" exists because Gardner's can lose
 * accuracy near the unit circle; the direct solve does not have that problem).
 */
public final class StationaryCovariance {

    private StationaryCovariance() {
    }

    /**
     * The r x r covariance (row-major), r = max(p, q + 1), for AR polynomial phi (length p) and MA
     * polynomial theta (length q); throws {@link ArithmeticException} if the AR part is not
     * stationary enough for the system to be solvable.
     */
    public static double[] of(double[] phi, double[] theta) {
        int p = phi.length;
        int q = theta.length;
        int r = Math.max(p, q + 1);
        double[] rv = new double[r];
        rv[0] = 1;
        System.arraycopy(theta, 0, rv, 1, q);
        if (r == 1) {
            double var = p > 0 ? 1 / (1 - phi[0] * phi[0]) : 1;
            if (!(var > 0) || Double.isInfinite(var)) {
                throw new ArithmeticException("non-stationary AR part");
            }
            return new double[] {var};
        }
        if (p == 0) {
            // Pure MA: T is a shift, so P[i][j] = sum_k R[i+k] R[j+k] directly.
            double[] cov = new double[r * r];
            for (int i = 0; i < r; i++) {
                for (int j = i; j < r; j++) {
                    double s = 0;
                    for (int k = 0; j + k < r; k++) {
                        s += rv[i + k] * rv[j + k];
                    }
                    cov[i * r + j] = s;
                    cov[j * r + i] = s;
                }
            }
            return cov;
        }
        int unknowns = r * (r + 1) / 2;
        double[] a = new double[unknowns * unknowns];
        double[] b = new double[unknowns];
        for (int i = 0; i < r; i++) {
            for (int j = i; j < r; j++) {
                int row = index(i, j, r);
                a[row * unknowns + row] += 1;
                b[row] = rv[i] * rv[j];
                // (T P T')[i][j] = sum_{k,l} T[i][k] T[j][l] P[k][l]; row i of T has phi_i at
                // column 0 (i < p) and 1 at column i+1 (i < r-1).
                int[] ki = new int[2];
                double[] vi = new double[2];
                int ni = entries(i, phi, r, ki, vi);
                int[] kj = new int[2];
                double[] vj = new double[2];
                int nj = entries(j, phi, r, kj, vj);
                for (int x = 0; x < ni; x++) {
                    for (int y = 0; y < nj; y++) {
                        a[row * unknowns + index(ki[x], kj[y], r)] -= vi[x] * vj[y];
                    }
                }
            }
        }
        LinearSolver.factor(a, unknowns).solveInPlace(b);
        double[] cov = new double[r * r];
        for (int i = 0; i < r; i++) {
            for (int j = i; j < r; j++) {
                double v = b[index(i, j, r)];
                cov[i * r + j] = v;
                cov[j * r + i] = v;
            }
        }
        return cov;
    }

    private static int entries(int i, double[] phi, int r, int[] cols, double[] vals) {
        int n = 0;
        if (i < phi.length && phi[i] != 0) {
            cols[n] = 0;
            vals[n++] = phi[i];
        }
        if (i < r - 1) {
            cols[n] = i + 1;
            vals[n++] = 1;
        }
        return n;
    }

    /** Position of the symmetric entry (i, j) in the packed upper triangle. */
    private static int index(int i, int j, int r) {
        if (i > j) {
            int t = i;
            i = j;
            j = t;
        }
        return i * r - i * (i - 1) / 2 + (j - i);
    }
}
