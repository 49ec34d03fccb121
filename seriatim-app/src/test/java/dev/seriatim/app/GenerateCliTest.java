package dev.seriatim.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.text.transformer.Architecture;
import dev.seriatim.text.transformer.RandomModelWriter;
import dev.seriatim.text.transformer.TinyModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code seriatim generate}'s decoding options end to end, in process, on a small random model. */
class GenerateCliTest {

    @TempDir
    static Path dir;

    static String model;

    record Result(int code, String out, String err) {
        List<JsonNode> lines() {
            JsonMapper m = JsonMapper.builder().build();
            return out.lines().map(m::readTree).toList();
        }

        JsonNode json() {
            assertThat(out.lines().count()).isEqualTo(1);
            return lines().getFirst();
        }
    }

    @BeforeAll
    static void writeModel() throws Exception {
        Path p = dir.resolve("tiny.gguf");
        RandomModelWriter.write(TinyModels.config(Architecture.LLAMA, 600), GgmlType.Q8_0, 3, 0.5, p);
        model = p.toString();
    }

    static Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("generate", "--model", model, "--threads", "1"));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    static int[] tokens(JsonNode j) {
        JsonNode t = j.get("tokens");
        int[] ids = new int[t.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = t.get(i).asInt();
        }
        return ids;
    }

    @Test
    void severalSamplesPrintJsonLinesAndEachEqualsItsSingleRun() {
        Result r = run("-n", "8", "--n", "4", "--seed", "5", "--temperature", "1.3", "--json", "Once upon");
        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> lines = r.lines();
        assertThat(lines).hasSize(4);
        for (int i = 0; i < 4; i++) {
            JsonNode j = lines.get(i);
            assertThat(j.has("text") && j.has("tokens") && j.has("finish_reason")).isTrue();
            Result single = run("-n", "8", "--seed", String.valueOf(5 + i), "--temperature", "1.3", "--json", "Once upon");
            assertThat(tokens(j)).isEqualTo(tokens(single.json()));
            assertThat(j.get("text").asString()).isEqualTo(single.json().get("text").asString());
        }
        Result text = run("-n", "8", "--n", "2", "--seed", "5", "--temperature", "1.3", "Once upon");
        assertThat(text.out()).startsWith("--- 1/2 ---").contains("--- 2/2 ---")
                .contains(lines.get(0).get("text").asString()).contains(lines.get(1).get("text").asString());
    }

    @Test
    void logprobsCarryTheChosenTokenAndAlternatives() {
        JsonNode j = run("-n", "6", "--logprobs", "3", "--json", "hello").json();
        JsonNode lps = j.get("logprobs");
        assertThat(lps.size()).isEqualTo(j.get("tokens").size());
        for (int i = 0; i < lps.size(); i++) {
            JsonNode e = lps.get(i);
            assertThat(e.get("token").asInt()).isEqualTo(j.get("tokens").get(i).asInt());
            assertThat(e.get("logprob").asDouble()).isNegative();
            JsonNode top = e.get("top_logprobs");
            assertThat(top.size()).isEqualTo(3);
            assertThat(top.get(0).get("logprob").asDouble()).isGreaterThanOrEqualTo(top.get(1).get("logprob").asDouble());
            assertThat(top.get(0).get("logprob").asDouble()).isGreaterThanOrEqualTo(e.get("logprob").asDouble());
        }
        assertThat(run("-n", "3", "--json", "hello").json().has("logprobs")).isFalse();
    }

    @Test
    void aStopStringAcrossTokensCutsTheText() {
        JsonNode full = run("-n", "24", "--temperature", "0", "--logprobs", "0", "--json", "the cat").json();
        JsonNode lps = full.get("logprobs");
        String text = full.get("text").asString();
        // a stop string made of the last character of one token and the first of the next
        String stop = null;
        int offset = 0;
        for (int i = 0; i + 1 < lps.size() && stop == null; i++) {
            String a = lps.get(i).get("text").asString();
            String b = lps.get(i + 1).get("text").asString();
            offset += a.length();
            if (i > 0 && !a.isEmpty() && !b.isEmpty() && isPlain(a) && isPlain(b)) {
                stop = a.substring(a.length() - 1) + b.charAt(0);
            }
        }
        assertThat(stop).as("no two plain adjacent tokens in %s", text).isNotNull();
        Result r = run("-n", "24", "--temperature", "0", "--stop", stop, "--json", "the cat");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.json().get("text").asString()).isEqualTo(text.substring(0, text.indexOf(stop)));
        assertThat(r.json().get("finish_reason").asString()).isEqualTo("stop");
        Result streamed = run("-n", "24", "--temperature", "0", "--stop", stop, "the cat");
        assertThat(streamed.out()).isEqualTo(text.substring(0, text.indexOf(stop)) + System.lineSeparator());
    }

    private static boolean isPlain(String s) {
        return s.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z');
    }

    @Test
    void oneBeamIsGreedyAndSeveralBeamsReturnRankedSequences() {
        JsonNode greedy = run("-n", "10", "--temperature", "0", "--json", "hello world").json();
        JsonNode beam = run("-n", "10", "--beams", "1", "--json", "hello world").json();
        assertThat(tokens(beam)).isEqualTo(tokens(greedy));
        Result r = run("-n", "6", "--beams", "4", "--num-return", "3", "--no-repeat-ngram", "2", "--json", "hello world");
        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> lines = r.lines();
        assertThat(lines).hasSize(3);
        for (int i = 1; i < 3; i++) {
            assertThat(lines.get(i).get("score").asDouble()).isLessThanOrEqualTo(lines.get(i - 1).get("score").asDouble());
        }
        assertThat(lines.getFirst().get("score").asDouble()).isGreaterThanOrEqualTo(
                beam.get("sum_logprob").asDouble() / Math.max(1, tokens(beam).length) - 1e-9);
    }

    @Test
    void rejectionSamplingReportsItsAttempts() {
        JsonNode ok = run("-n", "4", "--reject-unless", "^", "--json", "hi").json();
        assertThat(ok.get("accepted").asBoolean()).isTrue();
        assertThat(ok.get("attempts").asInt()).isEqualTo(1);
        Result never = run("-n", "4", "--reject-unless", "(?!)", "--max-tries", "3", "--json", "hi");
        assertThat(never.code()).isEqualTo(1);
        assertThat(never.json().get("accepted").asBoolean()).isFalse();
        assertThat(never.json().get("attempts").asInt()).isEqualTo(3);
        assertThat(never.err()).contains("no sample matched");
    }

    @Test
    void bestOfPrintsTheBestSamplesByMeanLogprob() {
        Result all = run("-n", "6", "--n", "5", "--seed", "3", "--logprobs", "0", "--json", "hi");
        double best = Double.NEGATIVE_INFINITY;
        for (JsonNode j : all.lines()) {
            double sum = 0;
            for (JsonNode e : j.get("logprobs")) {
                sum += e.get("logprob").asDouble();
            }
            best = Math.max(best, sum / j.get("logprobs").size());
        }
        Result r = run("-n", "6", "--best-of", "5", "--n", "2", "--seed", "3", "--json", "hi");
        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> lines = r.lines();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).get("score").asDouble()).isCloseTo(best, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(lines.get(1).get("score").asDouble()).isLessThanOrEqualTo(best);
        assertThat(run("-n", "4", "--best-of", "2", "--n", "3", "x").err()).contains("--best-of");
    }

    @Test
    void aBannedTokenIsNeverPicked() {
        JsonNode greedy = run("-n", "1", "--temperature", "0", "--json", "hello").json();
        int first = tokens(greedy)[0];
        JsonNode banned = run("-n", "1", "--temperature", "0", "--logit-bias", first + "=-inf", "--json", "hello").json();
        assertThat(tokens(banned)[0]).isNotEqualTo(first);
    }

    @Test
    void everySamplingOptionRuns() {
        Result r = run("-n", "12", "--temperature", "0.9", "--top-k", "20", "--top-p", "0.9", "--min-p", "0.02",
                "--typical-p", "0.95", "--min-keep", "2", "--repeat-penalty", "1.1", "--repeat-last-n", "-1",
                "--frequency-penalty", "0.2", "--presence-penalty", "0.1", "--logit-bias", "5=1.5,6=-inf",
                "--samplers", "hf", "--time-limit", "600", "--json", "hello");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.json().get("tokens").size()).isLessThanOrEqualTo(12);
        assertThat(run("-n", "3", "--samplers", "top_k;temperature", "--json", "hi").code()).isZero();
    }

    @Test
    void aCacheOfHalvesGeneratesToo() {
        Result r = run("-n", "12", "--temperature", "0", "--kv-cache", "f16", "--json", "In the beginning");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.json().get("tokens").size()).isEqualTo(12);
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(new String[] {"--top-p", "1.5"}, "top-p"),
                Arguments.of(new String[] {"--top-k", "-1"}, "top-k"),
                Arguments.of(new String[] {"--min-p", "-0.5"}, "min-p"),
                Arguments.of(new String[] {"--typical-p", "0"}, "typical-p"),
                Arguments.of(new String[] {"--temperature", "-1"}, "temperature"),
                Arguments.of(new String[] {"--repeat-penalty", "0"}, "repeat penalty"),
                Arguments.of(new String[] {"--samplers", "top_k,nucleus"}, "unknown sampler 'nucleus'"),
                Arguments.of(new String[] {"--logit-bias", "12"}, "ID=BIAS"),
                Arguments.of(new String[] {"--logit-bias", "x=1"}, "ID=BIAS"),
                Arguments.of(new String[] {"--logit-bias", "3=inf"}, "finite"),
                Arguments.of(new String[] {"--logit-bias", "600=1"}, "outside the vocabulary"),
                Arguments.of(new String[] {"--n", "0"}, "--n"),
                Arguments.of(new String[] {"--logprobs", "21"}, "--logprobs"),
                Arguments.of(new String[] {"--beams", "2", "--num-return", "3"}, "--num-return"),
                Arguments.of(new String[] {"--beams", "2", "--stop", "x"}, "--stop"),
                Arguments.of(new String[] {"--length-penalty", "2"}, "need --beams"),
                Arguments.of(new String[] {"--reject-unless", "("}, "regular expression"),
                Arguments.of(new String[] {"--max-tries", "0", "--reject-unless", "a"}, "--max-tries"),
                Arguments.of(new String[] {"--stop", ""}, "empty"),
                Arguments.of(new String[] {"--time-limit", "-1"}, "--time-limit"),
                Arguments.of(new String[] {"--kv-cache", "q8_0"}, "--kv-cache must be f32 or f16"));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void badValuesGiveOneLineAndExitCode2(String[] args, String message) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("x");
        Result r = run(all.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message).doesNotContain("\tat ");
        assertThat(r.err().lines().count()).isEqualTo(1);
    }

    @Test
    void helpShowsEveryOptionWithItsDefault() {
        StringWriter out = new StringWriter();
        Main.run(new String[] {"generate", "--help"}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        String help = out.toString().replaceAll("\\s+", " ");
        for (String option : List.of("--max-tokens", "--temperature", "--top-k", "--top-p", "--min-p", "--typical-p",
                "--min-keep", "--repeat-penalty", "--repeat-last-n", "--frequency-penalty", "--presence-penalty",
                "--logit-bias", "--samplers", "--seed", "--stop", "--time-limit", "--n=", "--logprobs", "--beams",
                "--num-return", "--length-penalty", "early-stopping", "--no-repeat-ngram", "--reject-unless",
                "--max-tries", "--best-of", "--json")) {
            assertThat(help).contains(option);
        }
        assertThat(help).contains("(default 40)", "(default 0.95)", "(default 0.05)", "(default llama.cpp)", "(default 64)");
    }
}
