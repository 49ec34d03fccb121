package dev.seriatim.timeseries.auto;

import dev.seriatim.timeseries.linalg.LeastSquares;
import java.util.ArrayList;
import java.util.List;

/**
 * What auto.arima does with regressors before it chooses the differencing: the unit-root and
 * seasonal tests look at the residuals of a least-squares fit of the series on an intercept and
 * the non-constant regressors (R: {@code residuals(lm(x ~ xreg))}), and a difference that would
 * make a regressor constant is not taken.
 */
final class Regressors {

    private Regressors() {
    }

    /**
     * The series less its least-squares fit on 1 and the non-constant columns, where the series
     * and every column are observed; elsewhere the series as it is. No columns (or only constant
     * ones): the series itself.
     */
    static double[] residuals(double[] x, double[][] xreg) {
        List<double[]> cols = new ArrayList<>();
        for (double[] c : xreg) {
            if (!AutoArima.isConstant(c)) {
                cols.add(c);
            }
        }
        if (cols.isEmpty()) {
            return x;
        }
        int n = x.length, k = cols.size() + 1;
        double[][] design = new double[n][k];
        for (int t = 0; t < n; t++) {
            design[t][0] = 1;
            for (int j = 1; j < k; j++) {
                design[t][j] = cols.get(j - 1)[t];
            }
        }
        double[] b;
        try {
            b = LeastSquares.fit(x, design).coefficients();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the regressors are rank deficient (collinear with each other or the intercept)");
        }
        double[] out = x.clone();
        rows:
        for (int t = 0; t < n; t++) {
            double fitted = 0;
            for (int j = 0; j < k; j++) {
                if (Double.isNaN(design[t][j])) {
                    continue rows;
                }
                fitted += b[j] * design[t][j];
            }
            out[t] -= fitted;
        }
        return out;
    }

    /**
     * True when some non-constant column becomes constant after {@code seasonalD} differences at
     * lag m and then {@code d} first differences.
     */
    static boolean differencingMakesConstant(double[][] xreg, int m, int seasonalD, int d) {
        for (double[] c : xreg) {
            if (AutoArima.isConstant(c)) {
                continue;
            }
            double[] diffed = c;
            for (int i = 0; i < seasonalD; i++) {
                diffed = KpssTest.difference(diffed, m);
            }
            for (int i = 0; i < d; i++) {
                diffed = KpssTest.difference(diffed, 1);
            }
            if (AutoArima.isConstant(diffed)) {
                return true;
            }
        }
        return false;
    }
}
