package dev.seriatim.timeseries.linalg;

/**
 * Dense LU decomposition with partial pivoting, for the small systems of time-series models
 * (stationary covariances, Hessians, least squares). Matrices are row-major {@code double[n*n]}.
 */
public final class LinearSolver {

    private final int n;
    private final double[] lu;
    private final int[] pivot;

    private LinearSolver(int n, double[] lu, int[] pivot) {
        this.n = n;
        this.lu = lu;
        this.pivot = pivot;
    }

    /**
     * Factors {@code a} (copied); throws {@link ArithmeticException} when it is singular to
     * working precision.
     */
    public static LinearSolver factor(double[] a, int n) {
        double[] lu = a.clone();
        int[] pivot = new int[n];
        double scale = 0;
        for (double v : lu) {
            scale = Math.max(scale, Math.abs(v));
        }
        double tiny = scale * n * 1e-15;
        for (int k = 0; k < n; k++) {
            int best = k;
            double bestAbs = Math.abs(lu[k * n + k]);
            for (int i = k + 1; i < n; i++) {
                double v = Math.abs(lu[i * n + k]);
                if (v > bestAbs) {
                    bestAbs = v;
                    best = i;
                }
            }
            if (!(bestAbs > tiny)) {
                throw new ArithmeticException("singular matrix");
            }
            pivot[k] = best;
            if (best != k) {
                for (int j = 0; j < n; j++) {
                    double t = lu[k * n + j];
                    lu[k * n + j] = lu[best * n + j];
                    lu[best * n + j] = t;
                }
            }
            double diag = lu[k * n + k];
            for (int i = k + 1; i < n; i++) {
                double f = lu[i * n + k] / diag;
                lu[i * n + k] = f;
                if (f != 0) {
                    for (int j = k + 1; j < n; j++) {
                        lu[i * n + j] -= f * lu[k * n + j];
                    }
                }
            }
        }
        return new LinearSolver(n, lu, pivot);
    }

    /** Solves A x = b in place. */
    public void solveInPlace(double[] b) {
        for (int k = 0; k < n; k++) {
            int p = pivot[k];
            if (p != k) {
                double t = b[k];
                b[k] = b[p];
                b[p] = t;
            }
        }
        for (int i = 1; i < n; i++) {
            double s = b[i];
            for (int j = 0; j < i; j++) {
                s -= lu[i * n + j] * b[j];
            }
            b[i] = s;
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int j = i + 1; j < n; j++) {
                s -= lu[i * n + j] * b[j];
            }
            b[i] = s / lu[i * n + i];
        }
    }

    /** The inverse of A, row-major. */
    public double[] inverse() {
        double[] inv = new double[n * n];
        double[] col = new double[n];
        for (int j = 0; j < n; j++) {
            java.util.Arrays.fill(col, 0);
            col[j] = 1;
            solveInPlace(col);
            for (int i = 0; i < n; i++) {
                inv[i * n + j] = col[i];
            }
        }
        return inv;
    }
}
