package dev.seriatim.app;

import dev.seriatim.timeseries.TimeSeries;
import dev.seriatim.timeseries.arima.ArimaEstimator;
import dev.seriatim.timeseries.arima.ArimaFit;
import dev.seriatim.timeseries.arima.ArimaOrder;
import dev.seriatim.timeseries.arima.ArimaSpec;
import dev.seriatim.timeseries.auto.AutoArima;
import picocli.CommandLine.Option;

/** Which model to fit to a series, with R forecast's defaults. */
final class SeriesModelOptions {

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "auto",
            description = "auto (auto.arima's stepwise search), arima(p,d,q), arima(p,d,q)(P,D,Q)[m], or ar(p). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--mean", negatable = true,
            description = "Include a mean when d + D = 0 (default: yes, as R's Arima).")
    Boolean mean;

    @Option(names = "--drift", description = "Include a drift (a linear trend) when d + D = 1.")
    boolean drift;

    @Option(names = "--lambda", paramLabel = "auto|NUM",
            description = "Box-Cox transform with this lambda (0 = log), or auto (Guerrero's method, as R's "
                    + "BoxCox.lambda); forecasts are back-transformed.")
    String lambda;

    @Option(names = "--exhaustive", description = "With --model auto: search all models up to the order limits, not stepwise.")
    boolean exhaustive;

    /** The Box-Cox lambda to use, NaN for none. */
    double lambda(TimeSeries series) {
        if (lambda == null) {
            return Double.NaN;
        }
        if (lambda.strip().equalsIgnoreCase("auto")) {
            return dev.seriatim.timeseries.GuerreroLambda.of(series.values(), series.frequency());
        }
        try {
            double v = Double.parseDouble(lambda.strip());
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InputException("--lambda must be 'auto' or a number, got '" + lambda + "'");
        }
    }

    ArimaFit fit(TimeSeries series) {
        return fit(series, new double[0][], java.util.List.of());
    }

    /** Fits with regressors xreg[j][t] named names (regression with ARIMA errors). */
    ArimaFit fit(TimeSeries series, double[][] xreg, java.util.List<String> names) {
        double lam = lambda(series);
        String m = model.strip();
        if (m.equalsIgnoreCase("auto") && xreg.length > 0) {
            throw new InputException("--xreg needs a fixed --model such as arima(1,0,0): the automatic search does not take regressors yet");
        }
        if (m.equalsIgnoreCase("auto")) {
            AutoArima.Options o = AutoArima.Options.defaults().withStepwise(!exhaustive).withLambda(lam);
            if (mean != null && !mean) {
                o = o.withConstant(false);
            }
            return AutoArima.fit(series.values(), series.frequency(), o).fit();
        }
        java.util.regex.Matcher ar = java.util.regex.Pattern.compile("(?i)\\s*ar\\s*\\(\\s*(\\d{1,3})\\s*\\)\\s*").matcher(m);
        // ar(p): an AR(p) with a mean by exact maximum likelihood, i.e. ARIMA(p,0,0); ar(0) or a
        // bare "ar" would be ambiguous, so the order is required.
        ArimaOrder order = ar.matches() ? ArimaOrder.of(Integer.parseInt(ar.group(1)), 0, 0)
                : ArimaOrder.parse(m, series.frequency());
        if (order.seasonal() && series.frequency() > 1 && order.period() != series.frequency()) {
            throw new InputException("the model's period [" + order.period() + "] differs from the series frequency "
                    + series.frequency() + " (set --frequency)");
        }
        if (order.period() > 1 && order.period() >= series.length()) {
            throw new InputException("period " + order.period() + " does not fit a series of " + series.length()
                    + " observations");
        }
        ArimaSpec spec = ArimaSpec.of(order).withDrift(drift).withLambda(lam).withRegressors(xreg, names);
        if (mean != null) {
            spec = spec.withMean(mean);
        }
        return ArimaEstimator.fit(series.values(), spec);
    }
}
