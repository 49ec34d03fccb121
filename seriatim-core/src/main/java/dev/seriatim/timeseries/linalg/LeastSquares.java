package dev.seriatim.timeseries.linalg;

/**
 * Ordinary least squares y ~ X (no implicit intercept) by the normal equations, with the
 * classical standard errors; rows where y or any regressor is NaN are left out, as R's
 * {@code lm(..., na.action = na.omit)} does. Used for the starting values of regression
 * coefficients and for OLS autoregressions, where X is small and well conditioned.
 */
public final class LeastSquares {

    /** Coefficients, their standard errors, the residual sum of squares and the rows used. */
    public record Result(double[] coefficients, double[] standardErrors, double rss, int rows) {
    }

    private LeastSquares() {
    }

    /** {@code x[i][j]} is regressor j at row i. */
    public static Result fit(double[] y, double[][] x) {
        int n = y.length;
        int k = x.length == 0 ? 0 : x[0].length;
        double[] xtx = new double[k * k];
        double[] xty = new double[k];
        int rows = 0;
        for (int i = 0; i < n; i++) {
            if (!usable(y[i], x[i])) {
                continue;
            }
            rows++;
            for (int a = 0; a < k; a++) {
                xty[a] += x[i][a] * y[i];
                for (int b = 0; b < k; b++) {
                    xtx[a * k + b] += x[i][a] * x[i][b];
                }
            }
        }
        LinearSolver solver = LinearSolver.factor(xtx, k);
        double[] beta = xty.clone();
        solver.solveInPlace(beta);
        double rss = 0;
        for (int i = 0; i < n; i++) {
            if (!usable(y[i], x[i])) {
                continue;
            }
            double e = y[i];
            for (int a = 0; a < k; a++) {
                e -= x[i][a] * beta[a];
            }
            rss += e * e;
        }
        double[] inv = solver.inverse();
        double s2 = rows > k ? rss / (rows - k) : Double.NaN;
        double[] se = new double[k];
        for (int a = 0; a < k; a++) {
            se[a] = Math.sqrt(s2 * inv[a * k + a]);
        }
        return new Result(beta, se, rss, rows);
    }

    private static boolean usable(double y, double[] row) {
        if (Double.isNaN(y)) {
            return false;
        }
        for (double v : row) {
            if (Double.isNaN(v)) {
                return false;
            }
        }
        return true;
    }
}
