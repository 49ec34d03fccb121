package dev.seriatim.timeseries.evaluate;

import dev.seriatim.timeseries.Forecast;
import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.function.IntFunction;

/**
 * Rolling-origin evaluation: for each of K origins, the last one leaving h observations, fit on
 * everything before the origin, forecast h steps, and score against what happened. Refits at
 * every origin (the model choice included, when the forecaster searches).
 */
public final class Backtest {

    private Backtest() {
    }

    /**
     * @param forecaster (training data, horizon) -> forecast with intervals at the given levels
     */
    public static Accuracy run(double[] y, int period, int horizon, int origins, double[] levels,
            BiFunction<double[], Integer, Forecast> forecaster) {
        return runAtOrigins(y, period, horizon, origins, levels, end -> forecaster.apply(Arrays.copyOf(y, end), horizon));
    }

    /**
     * @param atOrigin origin -> forecast of y[origin .. origin + horizon) from y[0 .. origin) with
     *     intervals at the given levels; the origin lets the caller cut regressors the same way
     *     (their future values come from the data, as if known at each origin)
     */
    public static Accuracy runAtOrigins(double[] y, int period, int horizon, int origins, double[] levels,
            IntFunction<Forecast> atOrigin) {
        if (horizon < 1 || origins < 1) {
            throw new IllegalArgumentException("horizon and origins must be at least 1");
        }
        int firstOrigin = y.length - horizon - origins + 1;
        if (firstOrigin < Math.max(4, 2 * period)) {
            throw new IllegalArgumentException("the series (" + y.length + " observations) is too short for " + origins
                    + " origins of horizon " + horizon);
        }
        Accuracy.Builder acc = new Accuracy.Builder(horizon, levels);
        for (int k = 0; k < origins; k++) {
            int end = firstOrigin + k;
            double[] train = Arrays.copyOf(y, end);
            Forecast f = atOrigin.apply(end);
            double[] actual = Arrays.copyOfRange(y, end, end + horizon);
            acc.add(actual, f.mean(), f.lower(), f.upper(), Accuracy.seasonalNaiveScale(train, period));
        }
        return acc.build();
    }
}
