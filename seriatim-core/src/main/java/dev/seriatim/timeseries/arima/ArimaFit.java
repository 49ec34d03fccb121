package dev.seriatim.timeseries.arima;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fitted ARIMA model with what R forecast's Arima() reports.
 *
 * @param names coefficient names as R gives them: ar1.., ma1.., sar1.., sma1.., intercept,
 *     drift, then the regressor names
 * @param standardErrors from the numerical Hessian of the likelihood (NaN when unavailable)
 * @param covariance covariance of the estimated coefficients, row-major
 * @param sigma2 forecast's innovation variance: sum of squared residuals / (n* - k)
 * @param sigma2Mle the maximum likelihood estimate ssq / n_used that the likelihood concentrates out
 * @param loglik exact Gaussian log-likelihood including the constant (of the Box-Cox
 *     transformed series when lambda is set, as in R)
 * @param nUsed non-missing observations minus d + mD (R's nobs)
 * @param residuals innovation residuals v_t / sqrt(F_t) on the transformed scale
 * @param series the series as fitted (after Box-Cox)
 * @param rawSeries the series as given
 */
public record ArimaFit(ArimaSpec spec, List<String> names, double[] coefficients, double[] standardErrors,
        double[] covariance, double sigma2, double sigma2Mle, double loglik, double aic, double aicc, double bic,
        int nUsed, int nStar, double[] residuals, double[] series, double[] rawSeries, boolean converged) {

    public ArimaOrder order() {
        return spec.order();
    }

    /** Number of estimated coefficients (sigma2 not counted). */
    public int parameterCount() {
        return coefficients.length;
    }

    /** Coefficients by name, in R's order. */
    public Map<String, Double> coefficientMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), coefficients[i]);
        }
        return m;
    }

    public double coefficient(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no coefficient named " + name);
        }
        return coefficients[i];
    }

    public double standardError(String name) {
        return standardErrors[names.indexOf(name)];
    }
}
