package dev.seriatim.timeseries.arima;

import dev.seriatim.timeseries.linalg.RightSingularVectors;
import java.util.ArrayList;
import java.util.List;

/**
 * R's stats::arima fits a model with two or more regression columns (intercept, drift and
 * regressors together) on the columns rotated by the right singular vectors V of the regression
 * matrix, X V, and maps the coefficients (V b) and their covariance (A cov A', A = diag(I, V))
 * back. The likelihood is the same; what changes is the conditioning: an intercept next to a
 * regressor such as the calendar year makes the Hessian so ill-conditioned that the standard
 * errors come out negative (and auto.arima would reject every candidate).
 */
final class RegressorRotation {

    private RegressorRotation() {
    }

    static ArimaFit fit(double[] rawY, ArimaSpec spec) {
        ArimaEstimator.Problem problem = new ArimaEstimator.Problem(rawY, spec);
        double[][] cols = problem.columns;
        int k = cols.length;
        if (k < 2) {
            return ArimaEstimator.fitAsGiven(rawY, spec);
        }
        int n = rawY.length;
        List<double[]> rows = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            double[] row = new double[k];
            boolean complete = true;
            for (int j = 0; j < k; j++) {
                row[j] = cols[j][t];
                complete &= !Double.isNaN(row[j]);
            }
            if (complete) {
                rows.add(row);
            }
        }
        double[] v = RightSingularVectors.of(rows.toArray(new double[0][]));
        double[][] rotated = new double[k][n];
        List<String> rotatedNames = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            for (int t = 0; t < n; t++) {
                double s = 0;
                for (int i = 0; i < k; i++) {
                    s += cols[i][t] * v[i * k + j];
                }
                rotated[j][t] = s;
            }
            rotatedNames.add("rotated" + (j + 1));
        }
        ArimaSpec rotatedSpec = new ArimaSpec(spec.order(), false, false, rotated, rotatedNames, spec.lambda(),
                spec.method());
        ArimaFit f = ArimaEstimator.fitAsGiven(rawY, rotatedSpec);
        int narma = spec.order().armaCount();
        int total = narma + k;
        double[] a = new double[total * total];
        for (int i = 0; i < narma; i++) {
            a[i * total + i] = 1;
        }
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                a[(narma + i) * total + narma + j] = v[i * k + j];
            }
        }
        double[] coef = new double[total];
        for (int i = 0; i < total; i++) {
            double s = 0;
            for (int j = 0; j < total; j++) {
                s += a[i * total + j] * f.coefficients()[j];
            }
            coef[i] = s;
        }
        double[] cov = new double[total * total];
        double[] se = new double[total];
        double[] rc = f.covariance();
        for (int i = 0; i < total; i++) {
            for (int j = 0; j < total; j++) {
                double s = 0;
                for (int p = 0; p < total; p++) {
                    for (int q = 0; q < total; q++) {
                        s += a[i * total + p] * rc[p * total + q] * a[j * total + q];
                    }
                }
                cov[i * total + j] = s;
            }
            double var = cov[i * total + i];
            se[i] = var >= 0 ? Math.sqrt(var) : Double.NaN;
        }
        return new ArimaFit(spec, problem.names, coef, se, cov, f.sigma2(), f.sigma2Mle(), f.loglik(), f.aic(), f.aicc(),
                f.bic(), f.nUsed(), f.nStar(), f.residuals(), f.series(), f.rawSeries(), f.converged());
    }
}
