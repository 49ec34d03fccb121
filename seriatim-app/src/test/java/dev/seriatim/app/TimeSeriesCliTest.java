package dev.seriatim.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The forecast and fit commands end to end, in process. */
class TimeSeriesCliTest {

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
        JsonNode json() {
            return JsonMapper.builder().build().readTree(out);
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    Path csv(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void forecastWithNoArgumentsUsesTheAirlineSeries() throws Exception {
        Path out = dir.resolve("fc.csv");
        Path png = dir.resolve("fc.png");
        Result r = run("forecast", "--json", "--out", out.toString(), "--plot", png.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        // R: auto.arima(AirPassengers) is ARIMA(2,1,1)(0,1,0)[12]; first forecast 445.6349
        assertThat(j.get("model").get("order").toString()).isEqualTo("[2,1,1]");
        assertThat(j.get("model").get("seasonal").toString()).isEqualTo("[0,1,0,12]");
        JsonNode first = j.get("forecast").get(0);
        assertThat(first.get("step").asInt()).isEqualTo(1);
        assertThat(first.get("date").asString()).isEqualTo("1961-01-01");
        assertThat(first.get("mean").asDouble()).isCloseTo(445.6349, within(0.01));
        assertThat(first.get("lo95").asDouble()).isLessThan(first.get("lo80").asDouble());
        assertThat(j.get("forecast").size()).isEqualTo(24);
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(FanChart.WIDTH);
        assertThat(Files.readAllLines(out)).hasSize(25).first().isEqualTo("step,date,mean,lo80,hi80,lo95,hi95");
    }

    @Test
    void fitWithAFixedModelReportsRsNumbers() throws Exception {
        Result r = run("fit", "--model", "arima(0,1,1)(0,1,1)[12]", "--lambda", "0", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        // R: Arima(AirPassengers, c(0,1,1), c(0,1,1), lambda = 0): ma1 -0.4018, sma1 -0.5569, loglik 244.70
        assertThat(j.get("coefficients").get("ma1").asDouble()).isCloseTo(-0.4018, within(1e-3));
        assertThat(j.get("coefficients").get("sma1").asDouble()).isCloseTo(-0.5569, within(1e-3));
        assertThat(j.get("loglik").asDouble()).isCloseTo(244.70, within(0.01));
        Result auto = run("fit", "--model", "arima(0,1,1)(0,1,1)[12]", "--lambda", "auto", "--json");
        assertThat(auto.code()).as(auto.err()).isZero();
        // R: BoxCox.lambda(AirPassengers) = -0.2947156
        assertThat(auto.json().get("model").get("lambda").asDouble()).isCloseTo(-0.2947156, within(1e-6));
        assertBad(run("fit", "--lambda", "x"), "--lambda");
        Result ar = run("fit", "--model", "ar(2)", "--json");
        assertThat(ar.code()).as(ar.err()).isZero();
        assertThat(ar.json().get("coefficients").has("ar2")).isTrue();
        assertThat(ar.json().get("coefficients").has("intercept")).isTrue();
        Result text = run("fit", "--model", "arima(0,1,1)(0,1,1)[12]", "--lambda", "0");
        assertThat(text.out()).contains("ARIMA(0,1,1)(0,1,1)[12]", "ma1", "sma1", "AICc=");
    }

    @Test
    void readsAUserCsvWithDatesAndMissingValues() throws Exception {
        StringBuilder sb = new StringBuilder("month,sales\n");
        java.util.Random rnd = new java.util.Random(3);
        double y = 0;
        for (int i = 0; i < 60; i++) {
            y = 0.6 * y + rnd.nextGaussian();
            sb.append(String.format(java.util.Locale.ROOT, "%d-%02d,%s%n", 2000 + i / 12, i % 12 + 1,
                    i == 17 ? "NA" : String.valueOf(10 + y)));
        }
        Result r = run("forecast", "--data", csv("sales.csv", sb.toString()).toString(), "--model", "arima(1,0,0)",
                "--horizon", "3", "--level", "90", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("coefficients").has("intercept")).isTrue();
        assertThat(j.get("forecast").get(2).get("date").asString()).isEqualTo("2005-03-01");
        assertThat(j.get("forecast").get(0).has("lo90")).isTrue();
        assertThat(j.get("nobs").asInt()).isEqualTo(59);
    }

    @Test
    void regressorsWithFutureValuesMatchR() throws Exception {
        // R: Arima(LakeHuron, c(2,0,0), xreg = cbind(t = time(LakeHuron) - 1920)); forecast for 1973..1975
        java.util.List<String> lines;
        try (var in = getClass().getResourceAsStream("/timeseries/series/LakeHuron.csv")) {
            lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }
        StringBuilder sb = new StringBuilder("date,level,t\n");
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            sb.append(f[0]).append(',').append(f[1]).append(',').append(i - 1 + 1875 - 1920).append('\n');
        }
        Path data = csv("huron.csv", sb.toString());
        Path future = csv("future.csv", "t\n53\n54\n55\n");
        Result r = run("forecast", "--data", data.toString(), "--column", "level", "--xreg", "t", "--future",
                future.toString(), "--model", "arima(2,0,0)", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("coefficients").get("t").asDouble()).isCloseTo(-0.02156882822, within(1e-3 * 0.0216));
        assertThat(j.get("coefficients").get("intercept").asDouble()).isCloseTo(579.0993448, within(1e-3));
        assertThat(j.get("loglik").asDouble()).isCloseTo(-101.1982673, within(1e-4 * 101.2));
        assertThat(j.get("forecast").size()).isEqualTo(3);
        assertThat(j.get("forecast").get(2).get("mean").asDouble()).isCloseTo(578.3678840, within(1e-3));
        assertThat(j.get("forecast").get(0).get("hi95").asDouble()).isCloseTo(580.7494680, within(2e-3));
        assertBad(run("forecast", "--data", data.toString(), "--column", "level", "--xreg", "t"), "--future");
    }

    /** tools/reference/arima/xreg_reference.R: auto.arima(LakeHuron, xreg = year) and its forecast for 1973..1975. */
    @Test
    void automaticModelWithRegressorsMatchesR() throws Exception {
        Map<String, String> ref = dev.seriatim.timeseries.RReference.table("xreg.tsv").get("xreg_lakehuron");
        Path data = resourceCopy("/timeseries/series/xreg_lakehuron.csv", "huron.csv");
        Path future = csv("future.csv", "year\n1973\n1974\n1975\n");
        Result r = run("forecast", "--data", data.toString(), "--xreg", "year", "--future", future.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("model").get("order").toString()).isEqualTo("[1,0,1]");
        assertThat(j.get("coefficients").get("year").asDouble()).isCloseTo(d(ref, "coef.year"), within(1e-3 * 0.0211));
        assertThat(j.get("loglik").asDouble()).isCloseTo(d(ref, "loglik"), within(1e-4 * 101.2));
        for (int s = 1; s <= 3; s++) {
            JsonNode row = j.get("forecast").get(s - 1);
            assertThat(row.get("mean").asDouble()).as("step " + s).isCloseTo(d(ref, "fc." + s + ".mean"), within(1e-3));
            assertThat(row.get("hi95").asDouble()).as("hi95 " + s).isCloseTo(d(ref, "fc." + s + ".hi95"), within(2e-3));
        }
        assertBad(run("forecast", "--data", data.toString(), "--xreg", "year,rain", "--future", future.toString()),
                "no column named 'rain'");
        assertBad(run("forecast", "--data", data.toString(), "--xreg", "year", "--future",
                csv("short.csv", "year\n1973\n").toString(), "--horizon", "3"), "--future has 1 rows");
        StringBuilder collinear = new StringBuilder("value,a,b\n");
        for (int i = 0; i < 40; i++) {
            collinear.append(Math.sin(i) + i % 7).append(',').append(i % 5).append(',').append(2 * (i % 5)).append('\n');
        }
        assertBad(run("forecast", "--data", csv("collinear.csv", collinear.toString()).toString(), "--xreg", "a,b",
                "--future", csv("ab.csv", "a,b\n1,2\n").toString(), "--horizon", "1"), "rank deficient");
    }

    @Test
    void backtestTakesFutureRegressorsFromTheData() throws Exception {
        Path data = resourceCopy("/timeseries/series/xreg_ar1.csv", "sim.csv");
        Result with = run("backtest", "--data", data.toString(), "--model", "arima(0,0,1)", "--xreg", "x1",
                "--horizon", "2", "--origins", "1", "--json");
        assertThat(with.code()).as(with.err()).isZero();
        assertThat(with.json().get("xreg").toString()).isEqualTo("[\"x1\"]");
        // the one origin by hand: fit on all but the last 2 rows, forecast with their x1 as --future
        List<String> lines = Files.readAllLines(data);
        int n = lines.size() - 1;
        Path train = csv("train.csv", String.join("\n", lines.subList(0, n - 1)) + "\n");
        Path future = csv("future.csv", "x1\n" + lines.get(n - 1).split(",")[2] + "\n" + lines.get(n).split(",")[2] + "\n");
        Result fc = run("forecast", "--data", train.toString(), "--model", "arima(0,0,1)", "--xreg", "x1", "--future",
                future.toString(), "--horizon", "2", "--json");
        assertThat(fc.code()).as(fc.err()).isZero();
        for (int s = 0; s < 2; s++) {
            double actual = Double.parseDouble(lines.get(n - 1 + s).split(",")[1]);
            double error = Math.abs(actual - fc.json().get("forecast").get(s).get("mean").asDouble());
            assertThat(with.json().get("steps").get(s).get("mae").asDouble()).as("step " + (s + 1)).isCloseTo(error,
                    within(1e-9));
        }
        assertBad(run("backtest", "--data", data.toString(), "--xreg", "x1", "--future", data.toString(),
                "--horizon", "2"), "--future is not used");
    }

    /** tools/reference/arima/ar_reference.R: ar(LakeHuron, method = "burg" / "ols") and predict(). */
    @Test
    void arMethodsMatchRsAr() throws Exception {
        Path data = resourceCopy("/timeseries/series/LakeHuron.csv", "huron.csv");
        Map<String, Map<String, String>> ar = dev.seriatim.timeseries.RReference.table("ar.tsv");
        for (String method : new String[] {"burg", "ols"}) {
            Map<String, String> ref = ar.get("LakeHuron." + method);
            Result r = run("forecast", "--data", data.toString(), "--model", "ar", "--ar-method", method,
                    "--horizon", "2", "--json");
            assertThat(r.code()).as(r.err()).isZero();
            JsonNode j = r.json();
            assertThat(j.get("model").get("order").get(0).asInt()).isEqualTo(Integer.parseInt(ref.get("order")));
            assertThat(j.get("coefficients").get("ar1").asDouble()).isCloseTo(d(ref, "ar1"), within(1e-9));
            assertThat(j.get("sigma2").asDouble()).isCloseTo(d(ref, "var.pred"), within(1e-9));
            assertThat(j.get("forecast").get(1).get("mean").asDouble()).isCloseTo(d(ref, "pred.2.mean"), within(1e-8));
        }
        Result fixed = run("fit", "--data", data.toString(), "--model", "ar(3)", "--ar-method", "yw", "--json");
        assertThat(fixed.code()).as(fixed.err()).isZero();
        assertThat(fixed.json().get("model").get("order").get(0).asInt()).isEqualTo(3);
        assertBad(run("fit", "--model", "ar(2)", "--ar-method", "lasso"), "--ar-method");
        assertBad(run("fit", "--model", "arima(1,0,0)", "--ar-method", "ols"), "--ar-method needs --model ar");
        assertBad(run("fit", "--model", "ar"), "needs an order");
        assertBad(run("fit", "--model", "ar(200)", "--ar-method", "ols"), "between 1 and 143");
        assertBad(run("fit", "--model", "ar(2)", "--ar-method", "ols", "--drift"), "without drift");
    }

    /** tools/reference/arima/biasadj_reference.R: forecast(Arima(AirPassengers, ..., lambda = 0), biasadj = TRUE). */
    @Test
    void biasAdjustedForecastIsRsMean() {
        Map<String, String> ref = dev.seriatim.timeseries.RReference.table("biasadj.tsv").get("airline_lambda0");
        Result r = run("forecast", "--model", "arima(0,1,1)(0,1,1)[12]", "--lambda", "0", "--biasadj", "--horizon",
                "12", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode last = r.json().get("forecast").get(11);
        assertThat(last.get("mean").asDouble()).isCloseTo(d(ref, "fc.12.mean"), within(1e-4 * d(ref, "fc.12.mean")));
        assertThat(last.get("hi95").asDouble()).isCloseTo(d(ref, "fc.12.hi95"), within(1e-3 * d(ref, "fc.12.mean")));
        assertBad(run("forecast", "--model", "arima(0,1,1)(0,1,1)[12]", "--biasadj"), "--biasadj needs --lambda");
    }

    Path resourceCopy(String resource, String name) throws Exception {
        try (var in = getClass().getResourceAsStream(resource)) {
            return csv(name, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    static double d(Map<String, String> ref, String key) {
        return Double.parseDouble(ref.get(key));
    }

    @Test
    void backtestReportsEveryStepAndOverall() {
        Result r = run("backtest", "--model", "arima(0,1,1)(0,1,1)[12]", "--lambda", "0", "--horizon", "3",
                "--origins", "4", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("steps").size()).isEqualTo(3);
        assertThat(j.get("steps").get(0).get("n").asInt()).isEqualTo(4);
        assertThat(j.get("overall").get("mase").asDouble()).isPositive();
        assertThat(j.get("overall").has("coverage95")).isTrue();
        assertBad(run("backtest", "--horizon", "100", "--origins", "50"), "too short");
    }

    @Test
    void badInputGivesOneClearLineAndExitCode2() throws Exception {
        assertBad(run("forecast", "--data", csv("empty.csv", "").toString()), "empty");
        assertBad(run("forecast", "--data", csv("header.csv", "value\n").toString()), "no data rows");
        assertBad(run("forecast", "--data", csv("text.csv", "value\n1\n2\nthree\n").toString()), "row 4");
        assertBad(run("forecast", "--data", csv("const.csv", "value\n5\n5\n5\n5\n5\n").toString()), "constant");
        assertBad(run("forecast", "--data", csv("few.csv", "value\n1\n2\n4\n").toString(), "--model", "arima(2,1,2)"),
                "too few observations");
        assertBad(run("forecast", "--data", csv("short.csv", "value\n1\n2\n4\n3\n").toString(), "--frequency", "12"),
                "frequency 12");
        assertBad(run("forecast", "--model", "arma(1,1)"), "not a model");
        assertBad(run("forecast", "--model", "arima(1,1,1)(0,1,1)[4]"), "differs from the series frequency");
        assertBad(run("forecast", "--data", dir.resolve("missing.csv").toString()), "file not found");
        assertBad(run("forecast", "--level", "120"), "--level");
        assertBad(run("forecast", "--data", csv("cols.csv", "a,b\n1,2\n").toString(), "--column", "c"), "no column named 'c'");
        assertBad(run("forecast", "--data", csv("ragged.csv", "a,b\n1,2\n3\n").toString()), "line 3");
    }

    static void assertBad(Result r, String fragment) {
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines().count()).as(r.err()).isLessThanOrEqualTo(2);
        assertThat(r.err()).contains(fragment);
    }
}
