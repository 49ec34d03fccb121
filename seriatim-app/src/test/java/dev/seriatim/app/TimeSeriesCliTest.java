package dev.seriatim.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
        assertBad(run("forecast", "--data", data.toString(), "--column", "level", "--xreg", "t", "--future",
                future.toString()), "fixed --model");
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
