package dev.seriatim.timeseries;

/**
 * Point forecasts and prediction intervals h steps ahead.
 *
 * @param mean point forecast per step (the median on the original scale under Box-Cox)
 * @param standardError forecast standard error per step on the model's (transformed) scale
 * @param levels interval levels in percent, e.g. 80 and 95
 * @param lower lower[i][s] is the bound at levels[i] for step s+1
 * @param upper upper[i][s] likewise
 */
public record Forecast(double[] mean, double[] standardError, double[] levels, double[][] lower, double[][] upper) {

    public int horizon() {
        return mean.length;
    }
}
