package dev.seriatim.app;

import dev.seriatim.timeseries.TimeSeries;
import dev.seriatim.timeseries.evaluate.Accuracy;
import dev.seriatim.timeseries.evaluate.Backtest;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Rolling-origin accuracy of a model, per horizon step and overall. */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = {"Rolling-origin backtest: refit at each of K origins, forecast H steps, and report MAE, RMSE, "
                + "MAPE, sMAPE, MASE, interval coverage and Winkler score per horizon step and overall."})
final class BacktestCommand implements Callable<Integer> {

    @Mixin
    SeriesOptions series;

    @Mixin
    SeriesModelOptions model;

    @Option(names = "--horizon", paramLabel = "H", required = true, description = "Steps ahead to score.")
    int horizon;

    @Option(names = "--origins", paramLabel = "K", defaultValue = "10",
            description = "Forecast origins, the last leaving H observations (default: ${DEFAULT-VALUE}).")
    int origins;

    @Option(names = "--level", paramLabel = "PCT", split = ",", defaultValue = "80,95",
            description = "Interval levels in percent (default: ${DEFAULT-VALUE}).")
    List<Double> levels;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--verbose", description = "Show stack traces on errors.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TimeSeries ts = series.load();
        if (series.future != null) {
            throw new InputException("backtest takes the regressors' future values from --data at each origin; "
                    + "--future is not used");
        }
        double[][] xreg = series.regressors();
        List<String> names = xreg.length == 0 ? List.of() : series.xreg;
        if (horizon < 1 || origins < 1) {
            throw new InputException("--horizon and --origins must be at least 1");
        }
        double[] lv = levels.stream().mapToDouble(Double::doubleValue).toArray();
        for (double l : lv) {
            if (!(l > 0 && l < 100)) {
                throw new InputException("--level: each level must be between 0 and 100 (exclusive), got " + l);
            }
        }
        Accuracy a = Backtest.runAtOrigins(ts.values(), ts.frequency(), horizon, origins, lv, end -> {
            TimeSeries train = new TimeSeries(ts.name(), Arrays.copyOf(ts.values(), end), ts.frequency(), null);
            double[][] past = new double[xreg.length][];
            double[][] future = new double[xreg.length][];
            for (int j = 0; j < xreg.length; j++) {
                past[j] = Arrays.copyOf(xreg[j], end);
                future[j] = Arrays.copyOfRange(xreg[j], end, end + horizon);
            }
            return model.forecast(model.fit(train, past, names), horizon, lv, future);
        });
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode o = Json.object();
            o.put("series", ts.name());
            o.put("model", model.model);
            if (!names.isEmpty()) {
                ArrayNode regressors = o.putArray("xreg");
                names.forEach(regressors::add);
            }
            o.put("horizon", horizon);
            o.put("origins", origins);
            ArrayNode steps = o.putArray("steps");
            for (int s = 0; s < horizon; s++) {
                ObjectNode r = steps.addObject();
                r.put("step", s + 1);
                r.put("n", a.count()[s]);
                metrics(r, a, s, s + 1);
            }
            metrics(o.putObject("overall"), a, 0, horizon);
            out.println(Json.write(o));
        } else {
            out.printf(Locale.ROOT, "Backtest of %s on %s: %d origins, horizon %d%n%n", model.model, ts.name(), origins, horizon);
            out.printf(Locale.ROOT, "%5s %10s %10s %8s %8s %8s", "step", "MAE", "RMSE", "MAPE", "sMAPE", "MASE");
            for (double l : lv) {
                String lab = ForecastCommand.label(l);
                out.printf(Locale.ROOT, " %8s %10s", "cov" + lab, "wink" + lab);
            }
            out.println();
            for (int s = 0; s <= horizon; s++) {
                boolean all = s == horizon;
                int from = all ? 0 : s, to = all ? horizon : s + 1;
                out.printf(Locale.ROOT, "%5s %10.4f %10.4f %8.3f %8.3f %8.4f", all ? "all" : String.valueOf(s + 1),
                        mean(a.mae(), from, to), Math.sqrt(meanSq(a.rmse(), from, to)), mean(a.mape(), from, to),
                        mean(a.smape(), from, to), mean(a.mase(), from, to));
                for (int i = 0; i < lv.length; i++) {
                    out.printf(Locale.ROOT, " %8.3f %10.4f", mean(a.coverage()[i], from, to), mean(a.winkler()[i], from, to));
                }
                out.println();
            }
        }
        out.flush();
        return 0;
    }

    /** Metrics averaged over steps [from, to); every step has the same number of origins. */
    private static void metrics(ObjectNode r, Accuracy a, int from, int to) {
        FitReport.number(r, "mae", mean(a.mae(), from, to));
        FitReport.number(r, "rmse", Math.sqrt(meanSq(a.rmse(), from, to)));
        FitReport.number(r, "mape", mean(a.mape(), from, to));
        FitReport.number(r, "smape", mean(a.smape(), from, to));
        FitReport.number(r, "mase", mean(a.mase(), from, to));
        for (int i = 0; i < a.levels().length; i++) {
            String lab = ForecastCommand.label(a.levels()[i]);
            FitReport.number(r, "coverage" + lab, mean(a.coverage()[i], from, to));
            FitReport.number(r, "winkler" + lab, mean(a.winkler()[i], from, to));
        }
    }

    private static double mean(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }

    private static double meanSq(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i] * v[i];
        }
        return s / (to - from);
    }
}
