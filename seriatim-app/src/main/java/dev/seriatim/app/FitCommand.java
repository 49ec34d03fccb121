package dev.seriatim.app;

import dev.seriatim.timeseries.TimeSeries;
import dev.seriatim.timeseries.arima.ArimaFit;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/** Fits an ARIMA model (given or chosen automatically) and prints what R's Arima() prints. */
@Command(name = "fit", mixinStandardHelpOptions = true,
        description = {"Fit an ARIMA model to a time series: coefficients with standard errors, sigma^2, "
                + "log-likelihood, AIC, AICc, BIC (R forecast's conventions).",
                "Without --data the embedded AirPassengers series is used."})
final class FitCommand implements Callable<Integer> {

    @Mixin
    SeriesOptions series;

    @Mixin
    SeriesModelOptions model;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--verbose", description = "Show stack traces on errors.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TimeSeries ts = series.load();
        double[][] xreg = series.regressors();
        ArimaFit fit = model.fit(ts, xreg, xreg.length == 0 ? java.util.List.of() : series.xreg);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode o = Json.object();
            o.put("series", ts.name());
            o.put("frequency", ts.frequency());
            o.put("observations", ts.length());
            FitReport.addTo(o, fit);
            out.println(Json.write(o));
        } else {
            FitReport.print(out, ts.name(), fit);
        }
        out.flush();
        return 0;
    }
}
