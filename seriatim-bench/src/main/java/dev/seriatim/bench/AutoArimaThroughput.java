package dev.seriatim.bench;

import dev.seriatim.io.csv.CsvReader;
import dev.seriatim.io.csv.CsvTable;
import dev.seriatim.timeseries.arima.ArimaFit;
import dev.seriatim.timeseries.auto.AutoArima;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * auto.arima fits per second on the series written by tools/reference/arima/bench/auto_arima_bench.R
 * (one column per series), on the calling thread only, after a warm-up pass over the first
 * 200 series; prints the rate and how many chosen orders equal R's (r_result.txt).
 *
 * <p>Usage: java -cp ... dev.seriatim.bench.AutoArimaThroughput series.csv [r_result.txt]
 */
public final class AutoArimaThroughput {

    private AutoArimaThroughput() {
    }

    public static void main(String[] args) throws Exception {
        CsvTable table = CsvReader.read(Path.of(args[0]));
        List<double[]> series = new ArrayList<>();
        for (int c = 0; c < table.header().size(); c++) {
            series.add(table.numbers(c));
        }
        AutoArima.Options options = AutoArima.Options.defaults();
        for (int i = 0; i < Math.min(200, series.size()); i++) {
            AutoArima.fit(series.get(i), 1, options);
        }
        String[] orders = new String[series.size()];
        // CPU time of this thread, so that other load on the machine does not count (R's side
        // measures its process CPU time the same way).
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < series.size(); i++) {
            ArimaFit f = AutoArima.fit(series.get(i), 1, options).fit();
            orders[i] = f.order().p() + "," + f.order().d() + "," + f.order().q();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double secs = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
        System.out.printf(Locale.ROOT, "Seriatim auto.arima: %d fits in %.2f CPU s (%.2f s wall) = %.1f fits per CPU second%n",
                series.size(), secs, wall, series.size() / secs);
        if (args.length > 1) {
            List<String> r = Files.readAllLines(Path.of(args[1]));
            double rSecs = Double.parseDouble(r.get(0).split(" ")[1]);
            int same = 0;
            for (int i = 0; i < orders.length; i++) {
                if (orders[i].equals(r.get(i + 2))) {
                    same++;
                }
            }
            System.out.printf(Locale.ROOT, "R auto.arima: %.2f CPU s; Seriatim/R speed ratio %.1fx; same order as R on %d/%d%n",
                    rSecs, rSecs / secs, same, orders.length);
        }
    }
}
