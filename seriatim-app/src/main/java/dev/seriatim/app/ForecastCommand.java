package dev.seriatim.app;

import dev.seriatim.timeseries.Forecast;
import dev.seriatim.timeseries.TimeSeries;
import dev.seriatim.timeseries.arima.ArimaFit;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
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

/** Fits a model and forecasts h steps with prediction intervals. */
@Command(name = "forecast", mixinStandardHelpOptions = true,
        description = {"Forecast a time series h steps ahead with prediction intervals (ARIMA by exact likelihood; "
                + "auto.arima's order search by default).",
                "Without --data the embedded monthly AirPassengers series is used: try 'seriatim forecast'."})
final class ForecastCommand implements Callable<Integer> {

    @Mixin
    SeriesOptions series;

    @Mixin
    SeriesModelOptions model;

    @Option(names = "--horizon", paramLabel = "H",
            description = "Steps ahead (default: 2 seasons for seasonal data, else 10, as R's forecast).")
    Integer horizon;

    @Option(names = "--level", paramLabel = "PCT", split = ",", defaultValue = "80,95",
            description = "Interval levels in percent (default: ${DEFAULT-VALUE}).")
    List<Double> levels;

    @Option(names = "--out", paramLabel = "FILE.csv", description = "Also write the forecast as CSV.")
    Path outFile;

    @Option(names = "--plot", paramLabel = "FILE.png",
            description = "Also draw a fan chart: history, forecast, shaded intervals.")
    Path plotFile;

    @Option(names = "--json", description = "Print one JSON object: model, coefficients, sigma2, loglik, aic, aicc, bic, forecast.")
    boolean json;

    @Option(names = "--verbose", description = "Show stack traces on errors.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TimeSeries ts = series.load();
        double[][] xreg = series.regressors();
        double[][] future = series.futureRegressors();
        int h = horizon != null ? horizon : future.length > 0 ? future[0].length : ts.frequency() > 1 ? 2 * ts.frequency() : 10;
        if (future.length > 0 && future[0].length < h) {
            throw new InputException("--future has " + future[0].length + " rows, the horizon is " + h);
        }
        if (h < 1 || h > 100_000) {
            throw new InputException("--horizon must be between 1 and 100000, got " + h);
        }
        double[] lv = new double[levels.size()];
        for (int i = 0; i < lv.length; i++) {
            lv[i] = levels.get(i);
            if (!(lv[i] > 0 && lv[i] < 100)) {
                throw new InputException("--level: each level must be between 0 and 100 (exclusive), got " + levels.get(i));
            }
        }
        ArimaFit fit = model.fit(ts, xreg, xreg.length == 0 ? List.of() : series.xreg);
        Forecast f = model.forecast(fit, h, lv, future);
        PrintWriter out = spec.commandLine().getOut();
        if (outFile != null) {
            writeCsv(outFile, ts, f);
        }
        if (plotFile != null) {
            FanChart.write(plotFile, ts, f, "Forecasts from " + FitReport.name(fit) + " (" + ts.name() + ")");
        }
        if (json) {
            ObjectNode o = Json.object();
            o.put("series", ts.name());
            FitReport.addTo(o, fit);
            ArrayNode rows = o.putArray("forecast");
            for (int s = 0; s < h; s++) {
                ObjectNode r = rows.addObject();
                r.put("step", s + 1);
                LocalDate date = ts.futureDate(s + 1);
                if (date != null) {
                    r.put("date", date.toString());
                }
                FitReport.number(r, "mean", f.mean()[s]);
                for (int i = 0; i < lv.length; i++) {
                    FitReport.number(r, "lo" + label(lv[i]), f.lower()[i][s]);
                    FitReport.number(r, "hi" + label(lv[i]), f.upper()[i][s]);
                }
            }
            out.println(Json.write(o));
        } else {
            out.printf(Locale.ROOT, "Forecasts from %s (series %s, %d observations)%n%n", FitReport.name(fit), ts.name(),
                    ts.length());
            out.print(table(ts, f, "  "));
        }
        out.flush();
        return 0;
    }

    static String label(double level) {
        return level == Math.rint(level) ? String.valueOf((long) level) : String.valueOf(level);
    }

    private static String table(TimeSeries ts, Forecast f, String sep) {
        StringWriter w = new StringWriter();
        PrintWriter p = new PrintWriter(w);
        p.printf(Locale.ROOT, "%5s%s%10s%s%12s", "step", sep, "date", sep, "mean");
        for (double l : f.levels()) {
            p.printf(Locale.ROOT, "%s%12s%s%12s", sep, "lo" + label(l), sep, "hi" + label(l));
        }
        p.println();
        for (int s = 0; s < f.horizon(); s++) {
            LocalDate d = ts.futureDate(s + 1);
            p.printf(Locale.ROOT, "%5d%s%10s%s%12.4f", s + 1, sep, d == null ? "-" : d.toString(), sep, f.mean()[s]);
            for (int i = 0; i < f.levels().length; i++) {
                p.printf(Locale.ROOT, "%s%12.4f%s%12.4f", sep, f.lower()[i][s], sep, f.upper()[i][s]);
            }
            p.println();
        }
        p.flush();
        return w.toString();
    }

    /** step,date,mean,lo80,hi80,... written atomically (temp file + rename). */
    static void writeCsv(Path file, TimeSeries ts, Forecast f) throws IOException {
        StringBuilder sb = new StringBuilder("step,date,mean");
        for (double l : f.levels()) {
            sb.append(",lo").append(label(l)).append(",hi").append(label(l));
        }
        sb.append('\n');
        for (int s = 0; s < f.horizon(); s++) {
            LocalDate d = ts.futureDate(s + 1);
            sb.append(s + 1).append(',').append(d == null ? "" : d.toString()).append(',').append(f.mean()[s]);
            for (int i = 0; i < f.levels().length; i++) {
                sb.append(',').append(f.lower()[i][s]).append(',').append(f.upper()[i][s]);
            }
            sb.append('\n');
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
