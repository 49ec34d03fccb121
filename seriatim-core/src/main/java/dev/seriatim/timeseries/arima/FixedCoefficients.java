package dev.seriatim.timeseries.arima;

import dev.seriatim.timeseries.BoxCox;

/**
 * An ArimaFit for coefficients estimated elsewhere (an AR(p) by Yule-Walker, Burg or OLS, as
 * R's {@code ar()} gives them): the Kalman filter supplies residuals and the exact
 * log-likelihood at those coefficients, and the innovation variance is the one given (R's
 * var.pred), so forecasts and intervals are those of R's predict.ar. No standard errors.
 */
public final class FixedCoefficients {

    private FixedCoefficients() {
    }

    /**
     * @param coef coefficients in R's order for {@code spec} (ar1.., ma1.., ..., intercept, ...)
     * @param sigma2 the innovation variance for forecasts
     */
    public static ArimaFit fit(double[] rawY, ArimaSpec spec, double[] coef, double sigma2) {
        double[] y = Double.isNaN(spec.lambda()) ? rawY.clone() : BoxCox.transform(rawY, spec.lambda());
        ArimaEstimator.Problem pr = new ArimaEstimator.Problem(y, spec);
        if (coef.length != pr.names.size()) {
            throw new IllegalArgumentException(spec.order() + " has " + pr.names.size() + " coefficients, got " + coef.length);
        }
        int usable = 0;
        for (int t = 0; t < y.length; t++) {
            if (!pr.rowMissing(t)) {
                usable++;
            }
        }
        int nUsed = usable - pr.delta.length;
        if (nUsed <= 0) {
            throw new IllegalArgumentException("too few non-missing observations for " + spec.order());
        }
        double[] cov = new double[coef.length * coef.length];
        java.util.Arrays.fill(cov, Double.NaN);
        ArimaFit f = ArimaEstimator.finish(pr, spec, rawY, coef.clone(), cov, pr.mlObjective(coef, false), nUsed, true);
        return new ArimaFit(spec, f.names(), f.coefficients(), f.standardErrors(), cov, sigma2, f.sigma2Mle(), f.loglik(),
                f.aic(), f.aicc(), f.bic(), f.nUsed(), f.nStar(), f.residuals(), f.series(), f.rawSeries(), true);
    }
}
