package dev.seriatim.timeseries.arima;

import dev.seriatim.timeseries.BoxCox;
import dev.seriatim.timeseries.Forecast;
import dev.seriatim.timeseries.stats.Normal;

/**
 * Forecasts from a fitted ARIMA as R's predict.Arima / forecast.Arima do: run the Kalman filter
 * to the end of the series, continue the state h steps without data, and take
 * mean +- z sqrt(sigma2 F_h), with forecast's sigma2; regression terms (intercept, drift
 * t = n+1.., future regressors) are added to the mean; under Box-Cox mean and bounds are
 * back-transformed, so the point forecast is a median, or with bias adjustment (forecast's
 * {@code biasadj = TRUE}) the mean from the forecast variance (see {@link BoxCox#inverseMean}).
 */
public final class ArimaForecaster {

    private ArimaForecaster() {
    }

    /**
     * @param futureXreg futureXreg[j][s]: regressor j at step s+1 (empty when the model has none)
     */
    public static Forecast forecast(ArimaFit fit, int h, double[] levels, double[][] futureXreg) {
        return forecast(fit, h, levels, futureXreg, false);
    }

    /**
     * @param biasAdjust under Box-Cox, back-transform the point forecast to a mean rather than a
     *     median (no effect without a lambda; the bounds stay back-transformed quantiles)
     */
    public static Forecast forecast(ArimaFit fit, int h, double[] levels, double[][] futureXreg, boolean biasAdjust) {
        if (h < 1) {
            throw new IllegalArgumentException("the horizon must be at least 1, got " + h);
        }
        ArimaSpec spec = fit.spec();
        int userCols = spec.xreg().length;
        if (futureXreg.length != userCols) {
            throw new IllegalArgumentException("the model has " + userCols + " regressors, future values were given for "
                    + futureXreg.length);
        }
        for (int j = 0; j < userCols; j++) {
            if (futureXreg[j].length < h) {
                throw new IllegalArgumentException("future values of regressor " + spec.xregNames().get(j)
                        + " cover " + futureXreg[j].length + " steps, the horizon is " + h);
            }
        }
        ArimaStateSpace ss = filtered(fit);
        double[] mean = new double[h];
        double[] var = new double[h];
        ss.forecast(h, mean, var);
        int narma = spec.order().armaCount();
        int col = narma;
        int n = fit.series().length;
        double[] coef = fit.coefficients();
        for (int s = 0; s < h; s++) {
            int c = col;
            double add = 0;
            if (spec.hasIntercept()) {
                add += coef[c++];
            }
            if (spec.hasDrift()) {
                add += coef[c++] * (n + s + 1);
            }
            for (int j = 0; j < userCols; j++) {
                add += coef[c++] * futureXreg[j][s];
            }
            mean[s] += add;
        }
        double[] se = new double[h];
        for (int s = 0; s < h; s++) {
            se[s] = Math.sqrt(var[s] * fit.sigma2());
        }
        double[][] lower = new double[levels.length][h];
        double[][] upper = new double[levels.length][h];
        for (int i = 0; i < levels.length; i++) {
            double level = levels[i];
            if (!(level > 0 && level < 100)) {
                throw new IllegalArgumentException("interval levels must be between 0 and 100, got " + level);
            }
            double z = Normal.quantile(0.5 + level / 200);
            for (int s = 0; s < h; s++) {
                lower[i][s] = mean[s] - z * se[s];
                upper[i][s] = mean[s] + z * se[s];
            }
        }
        double lambda = spec.lambda();
        if (!Double.isNaN(lambda)) {
            for (int s = 0; s < h; s++) {
                mean[s] = biasAdjust ? BoxCox.inverseMean(mean[s], lambda, se[s] * se[s])
                        : BoxCox.inverse(mean[s], lambda);
                for (int i = 0; i < levels.length; i++) {
                    lower[i][s] = BoxCox.inverse(lower[i][s], lambda);
                    upper[i][s] = BoxCox.inverse(upper[i][s], lambda);
                }
            }
        }
        return new Forecast(mean, se, levels.clone(), lower, upper);
    }

    public static Forecast forecast(ArimaFit fit, int h, double... levels) {
        return forecast(fit, h, levels, new double[0][]);
    }

    /** The state space of the fit, filtered to the end of its series. */
    static ArimaStateSpace filtered(ArimaFit fit) {
        ArimaSpec spec = fit.spec();
        ArimaPolynomials poly = ArimaPolynomials.expand(fit.coefficients(), spec.order());
        ArimaStateSpace ss = new ArimaStateSpace(poly.phi(), poly.theta(), ArimaPolynomials.differencing(spec.order()));
        ArimaEstimator.Problem pr = new ArimaEstimator.Problem(fit.series(), spec);
        ss.filter(pr.regressionResiduals(fit.coefficients()), null);
        return ss;
    }
}
