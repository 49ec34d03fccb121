package dev.seriatim.timeseries.ar;

import dev.seriatim.timeseries.arima.ArimaFit;
import dev.seriatim.timeseries.arima.ArimaOrder;
import dev.seriatim.timeseries.arima.ArimaSpec;
import dev.seriatim.timeseries.arima.FixedCoefficients;

/**
 * An autoregression x_t - mean = intercept + sum_i ar_i (x_{t-i} - mean) + e_t as R's
 * {@code ar()} reports it.
 *
 * @param mean R's x.mean: the sample mean, or the maximum likelihood mean for MLE
 * @param intercept R's x.intercept (OLS only; 0 for the other methods)
 * @param variance the innovation variance R reports as var.pred
 * @param aic AIC of every order 0..maxOrder relative to the best (the best has 0), as R;
 *     +Inf for orders that could not be fitted
 */
public record ArFit(ArMethod method, int order, double[] ar, double mean, double intercept, double variance,
        double[] aic) {

    /** The mean of the fitted stationary process: mean + intercept / (1 - sum ar). */
    public double processMean() {
        if (intercept == 0) {
            return mean;
        }
        double s = 1;
        for (double a : ar) {
            s -= a;
        }
        return mean + intercept / s;
    }

    /**
     * This autoregression as an ARIMA(order,0,0) with a mean, for forecasting: the ARIMA
     * forecasts (Kalman filter, variance var.pred) are R's predict.ar.
     *
     * @param series the series the AR was fitted to, before the Box-Cox transform with lambda
     *     (NaN: none) that produced the fitted values
     */
    public ArimaFit asArima(double[] series, double lambda) {
        double[] coef = java.util.Arrays.copyOf(ar, order + 1);
        coef[order] = processMean();
        return FixedCoefficients.fit(series, ArimaSpec.of(ArimaOrder.of(order, 0, 0)).withLambda(lambda), coef, variance);
    }
}
