package dev.seriatim.timeseries.linalg;

/**
 * The right singular vectors V of a tall matrix X = U S V' by one-sided Jacobi rotations
 * (Hestenes): pairs of columns of X are rotated until all are orthogonal; the rotations
 * accumulate into V. Columns come out by decreasing singular value, as LAPACK orders them.
 * Accurate for ill-conditioned X because X'X is never formed.
 */
public final class RightSingularVectors {

    private RightSingularVectors() {
    }

    /** {@code x[i][j]} is column j at row i (rows with NaN must be left out by the caller); V row-major k x k. */
    public static double[] of(double[][] x) {
        int n = x.length, k = n == 0 ? 0 : x[0].length;
        double[][] u = new double[k][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                u[j][i] = x[i][j];
            }
        }
        double[][] v = new double[k][k];
        for (int j = 0; j < k; j++) {
            v[j][j] = 1;
        }
        for (int sweep = 0; sweep < 60; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < k - 1; p++) {
                for (int q = p + 1; q < k; q++) {
                    double alpha = dot(u[p], u[p]), beta = dot(u[q], u[q]), gamma = dot(u[p], u[q]);
                    if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma == 0) {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta == 0 ? 1 : zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    double c = 1 / Math.sqrt(1 + t * t), s = c * t;
                    rotate(u[p], u[q], c, s);
                    rotate(v[p], v[q], c, s);
                }
            }
            if (!rotated) {
                break;
            }
        }
        Integer[] order = new Integer[k];
        double[] norm = new double[k];
        for (int j = 0; j < k; j++) {
            order[j] = j;
            norm[j] = dot(u[j], u[j]);
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(norm[b], norm[a]));
        // v[j] holds column j of V (the accumulated rotations act on columns).
        double[] out = new double[k * k];
        for (int col = 0; col < k; col++) {
            for (int row = 0; row < k; row++) {
                out[row * k + col] = v[order[col]][row];
            }
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void rotate(double[] a, double[] b, double c, double s) {
        for (int i = 0; i < a.length; i++) {
            double x = a[i], y = b[i];
            a[i] = c * x - s * y;
            b[i] = s * x + c * y;
        }
    }
}
