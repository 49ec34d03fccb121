package dev.seriatim.app;

import dev.seriatim.timeseries.BoxCox;
import dev.seriatim.timeseries.Forecast;
import dev.seriatim.timeseries.TimeSeries;
import dev.seriatim.timeseries.ar.ArMethod;
import dev.seriatim.timeseries.ar.Autoregression;
import dev.seriatim.timeseries.arima.ArimaEstimator;
import dev.seriatim.timeseries.arima.ArimaFit;
import dev.seriatim.timeseries.arima.ArimaForecaster;
import dev.seriatim.timeseries.arima.ArimaOrder;
import dev.seriatim.timeseries.arima.ArimaSpec;
import dev.seriatim.timeseries.auto.AutoArima;
import picocli.CommandLine.Option;

/** Which model to fit to a series, with R forecast's defaults. */
final class SeriesModelOptions {

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "auto",
            description = "auto (auto.arima's stepwise search), arima(p,d,q), arima(p,d,q)(P,D,Q)[m], ar(p), or ar "
                    + "(with --ar-method: the order chosen by AIC, as R's ar()). Default: ${DEFAULT-VALUE}.")
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

    @Option(names = "--ar-method", paramLabel = "yw|burg|ols|mle",
            description = "With --model ar(p) or ar: estimate the AR by R's ar() method (Yule-Walker, Burg, least "
                    + "squares, or maximum likelihood); forecasts use its var.pred. Default: ar(p) is an ARIMA(p,0,0) "
                    + "by exact maximum likelihood.")
    String arMethod;

    @Option(names = "--biasadj",
            description = "With --lambda: back-transform the point forecast to the mean on the original scale "
                    + "(R forecast's biasadj = TRUE) instead of the median.")
    boolean biasadj;

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

    /** Forecasts h steps, bias-adjusted when --biasadj was given. */
    Forecast forecast(ArimaFit fit, int h, double[] levels, double[][] future) {
        return ArimaForecaster.forecast(fit, h, levels, future, biasadj);
    }

    ArimaFit fit(TimeSeries series) {
        return fit(series, new double[0][], java.util.List.of());
    }

    /** Fits with regressors xreg[j][t] named names (regression with ARIMA errors). */
    ArimaFit fit(TimeSeries series, double[][] xreg, java.util.List<String> names) {
        double lam = lambda(series);
        if (biasadj && Double.isNaN(lam)) {
            throw new InputException("--biasadj needs --lambda: it adjusts the Box-Cox back-transform");
        }
        String m = model.strip();
        java.util.regex.Matcher ar = java.util.regex.Pattern.compile("(?i)\\s*ar\\s*(?:\\(\\s*(\\d{1,3})\\s*\\))?\\s*").matcher(m);
        if (arMethod != null) {
            if (!ar.matches()) {
                throw new InputException("--ar-method needs --model ar(p) or ar, got --model " + model);
            }
            return fitAr(series, ar.group(1), lam, xreg);
        }
        if (m.equalsIgnoreCase("auto")) {
            AutoArima.Options o = AutoArima.Options.defaults().withStepwise(!exhaustive).withLambda(lam);
            if (mean != null && !mean) {
                o = o.withConstant(false);
            }
            return AutoArima.fit(series.values(), series.frequency(), o, xreg, names).fit();
        }
        if (ar.matches() && ar.group(1) == null) {
            throw new InputException("--model ar needs an order, ar(p), or --ar-method to choose the order by AIC");
        }
        // ar(p): an AR(p) with a mean by exact maximum likelihood, i.e. ARIMA(p,0,0); ar(0) or a
        // bare "ar" would be ambiguous, so the order is required.
        ArimaOrder order = ar.matches() && ar.group(1) != null ? ArimaOrder.of(Integer.parseInt(ar.group(1)), 0, 0)
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

    /** R's ar(x, method = ...): order p fixed, or chosen by AIC when p is null. */
    private ArimaFit fitAr(TimeSeries series, String p, double lam, double[][] xreg) {
        ArMethod method;
        try {
            method = ArMethod.parse(arMethod);
        } catch (IllegalArgumentException e) {
            throw new InputException("--ar-method: " + e.getMessage());
        }
        if (xreg.length > 0) {
            throw new InputException("--xreg does not combine with --ar-method (use --model arima(p,0,0))");
        }
        if (drift || (mean != null && !mean)) {
            throw new InputException("--ar-method fits R's ar(): always with a mean, without drift");
        }
        double[] x = Double.isNaN(lam) ? series.values() : BoxCox.transform(series.values(), lam);
        for (double v : x) {
            if (!Double.isFinite(v)) {
                throw new InputException("--ar-method needs a series without missing values"
                        + (Double.isNaN(lam) ? "" : " (after the Box-Cox transform)"));
            }
        }
        int n = x.length;
        int maxOrder = p == null ? Autoregression.defaultMaxOrder(n, method) : Integer.parseInt(p);
        if (maxOrder < 1 || maxOrder >= n) {
            throw new InputException("--model " + model.strip() + ": the AR order must be between 1 and " + (n - 1)
                    + " for " + n + " observations");
        }
        return Autoregression.fit(x, method, maxOrder, p == null).asArima(series.values(), lam);
    }
}
