package dev.seriatim.timeseries.ar;

/**
 * An autoregression x_t - mean = sum_i ar_i (x_{t-i} - mean) + e_t as R's {@code ar()} reports it.
 *
 * @param aic AIC of every order 0..maxOrder relative to the best (the best has 0), as R
 * @param variance the innovation variance R reports as var.pred
 */
public record ArFit(ArMethod method, int order, double[] ar, double mean, double variance, double[] aic) {
}
