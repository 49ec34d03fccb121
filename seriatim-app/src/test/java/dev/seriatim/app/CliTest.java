package dev.seriatim.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.text.transformer.Architecture;
import dev.seriatim.text.transformer.RandomModelWriter;
import dev.seriatim.text.transformer.TinyModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The command line end to end, in process, on a small random model. */
class CliTest {

    @TempDir
    static Path dir;

    static Path model;

    record Result(int code, String out, String err) {
        JsonNode json() {
            return JsonMapper.builder().build().readTree(out);
        }
    }

    @BeforeAll
    static void writeModel() throws Exception {
        model = dir.resolve("tiny.gguf");
        RandomModelWriter.write(TinyModels.config(Architecture.LLAMA, 600), GgmlType.Q8_0, 3, model);
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void infoDescribesTheModel() {
        Result r = run("info", "--model", model.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("architecture").asString()).isEqualTo("llama");
        assertThat(j.get("vocab_size").asInt()).isEqualTo(600);
        assertThat(j.get("block_count").asInt()).isEqualTo(2);
        assertThat(j.get("tensor_types").get("Q8_0").asInt()).isGreaterThan(0);
        assertThat(run("info", "--model", model.toString()).out()).contains("architecture:", "llama");
    }

    @Test
    void tokenizeThenDetokenizeGivesTheTextBack() {
        String text = "the cat sat — on ünïcödé 😀";
        Result t = run("tokenize", "--model", model.toString(), "--text", text, "--json");
        assertThat(t.code()).as(t.err()).isZero();
        JsonNode tokens = t.json().get("tokens");
        assertThat(tokens.size()).isEqualTo(t.json().get("pieces").size()).isPositive();
        StringBuilder ids = new StringBuilder();
        tokens.forEach(n -> ids.append(ids.isEmpty() ? "" : ",").append(n.asInt()));
        Result d = run("detokenize", "--model", model.toString(), "--tokens", ids.toString());
        assertThat(d.code()).as(d.err()).isZero();
        assertThat(d.out().strip()).isEqualTo(text);
    }

    @Test
    void tokenizeWithATiktokenRankFileGivesTheReferenceIds() throws Exception {
        Path fixture = Path.of("../seriatim-core/src/test/resources/tokenizer/cl100k_base");
        Path ranks = fixture.resolve("cl100k_base.tiktoken.gz");
        JsonNode cases = JsonMapper.builder().build().readTree(fixture.resolve("expected_ids.json").toFile());
        JsonNode hello = null;
        for (JsonNode c : cases) {
            if (c.get("text").asString().equals("Hello, world!")) {
                hello = c.get("ids");
            }
        }
        Result t = run("tokenize", "--tokenizer", ranks.toString(), "--text", "Hello, world!", "--json");
        assertThat(t.code()).as(t.err()).isZero();
        assertThat(t.json().get("tokens")).isEqualTo(hello);
        StringBuilder ids = new StringBuilder();
        hello.forEach(n -> ids.append(ids.isEmpty() ? "" : ",").append(n.asInt()));
        Result d = run("detokenize", "--tokenizer", ranks.toString(), "--encoding", "cl100k_base",
                "--tokens", ids.toString());
        assertThat(d.out().strip()).isEqualTo("Hello, world!");

        Result wrong = run("tokenize", "--tokenizer", ranks.toString(), "--encoding", "o200k_base", "--text", "x");
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.err().strip()).isEqualTo("seriatim: " + ranks + " has 100256 ranks but o200k_base has 199998"
                + " (is it another encoding's file?)");
        assertThat(run("tokenize", "--tokenizer", ranks.toString(), "--model", model.toString(), "--text", "x").err())
                .isEqualTo("seriatim: give --model or --tokenizer, not both\n");
        assertThat(run("tokenize", "--encoding", "cl100k_base", "--text", "x").code()).isEqualTo(2);
    }

    @Test
    void scoreReportsConsistentTotals() {
        Result r = run("score", "--model", model.toString(), "--tokens", "1,50,60,70,80,90", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("logprobs").get(0).isNull()).isTrue();
        double sum = 0;
        for (int i = 1; i < 6; i++) {
            double lp = j.get("logprobs").get(i).asDouble();
            assertThat(lp).isNegative();
            sum -= lp;
        }
        assertThat(j.get("nll").asDouble()).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(j.get("perplexity").asDouble()).isCloseTo(Math.exp(sum / 5), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void scoringLongerThanTheContextUsesWindows() {
        StringBuilder ids = new StringBuilder("1");
        for (int i = 0; i < 20; i++) {
            ids.append(',').append(100 + i);
        }
        Result r = run("score", "--model", model.toString(), "--context", "8", "--tokens", ids.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode lp = r.json().get("logprobs");
        assertThat(lp.get(0).isNull()).isTrue();
        assertThat(lp.get(8).isNull()).isTrue();
        assertThat(lp.get(16).isNull()).isTrue();
        assertThat(r.json().get("scored_tokens").asInt()).isEqualTo(18);
    }

    @Test
    void generateIsReproducibleWithASeed() {
        String[] args = {"generate", "--model", model.toString(), "--max-tokens", "12", "--temperature", "1.0",
                "--seed", "9", "--json", "Once upon a time"};
        Result a = run(args);
        Result b = run(args);
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(a.out()).isEqualTo(b.out());
        JsonNode j = a.json();
        assertThat(j.get("tokens").size()).isLessThanOrEqualTo(12);
        assertThat(j.get("finish_reason").asString()).isIn("stop", "length");
        if (j.get("finish_reason").asString().equals("length")) {
            assertThat(j.get("tokens").size()).isEqualTo(12);
        }
    }

    @Test
    void greedyStreamingPrintsTheSameTextAsJson() {
        Result json = run("generate", "--model", model.toString(), "-n", "10", "--temperature", "0", "--json", "héllo wörld");
        Result text = run("generate", "--model", model.toString(), "-n", "10", "--temperature", "0", "héllo", "wörld");
        assertThat(json.code()).as(json.err()).isZero();
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).isEqualTo(json.json().get("text").asString() + System.lineSeparator());
    }

    @Test
    void badInputGivesOneLineAndExitCode2() throws Exception {
        Result missing = run("info", "--model", dir.resolve("nope.gguf").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("not found").doesNotContain("Exception").doesNotContain("\tat ");

        Path notGguf = dir.resolve("text.gguf");
        Files.writeString(notGguf, "hello, I am not a model", StandardCharsets.UTF_8);
        Result bad = run("score", "--model", notGguf.toString(), "--text", "hi");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("GGUF").doesNotContain("\tat ");
        assertThat(bad.err().lines().count()).isEqualTo(1);

        Result topP = run("generate", "--model", model.toString(), "--top-p", "1.5", "x");
        assertThat(topP.code()).isEqualTo(2);
        assertThat(topP.err()).contains("top-p");

        Result flag = run("generate", "--model", model.toString(), "--no-such-flag", "x");
        assertThat(flag.code()).isEqualTo(2);
        assertThat(flag.err()).contains("--no-such-flag");

        Result token = run("score", "--model", model.toString(), "--tokens", "1,2,999999");
        assertThat(token.code()).isEqualTo(2);
        assertThat(token.err()).contains("999999");

        Result verbose = run("info", "--model", notGguf.toString(), "--verbose");
        assertThat(verbose.code()).isEqualTo(2);
        assertThat(verbose.err()).contains("\tat ");
    }
}
