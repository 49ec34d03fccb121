package dev.seriatim.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Without --model, commands run on the embedded byte-level KJV model. */
class DefaultModelTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void infoDescribesTheEmbeddedModel() {
        String[] r = run("info", "--json");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode j = JsonMapper.builder().build().readTree(r[1]);
        assertThat(j.get("architecture").asString()).isEqualTo("llama");
        assertThat(j.get("vocab_size").asInt()).isEqualTo(258);
        assertThat(j.get("tensor_types").has("Q8_0")).isTrue();
    }

    @Test
    void theEmbeddedModelHasLearnedEnglish() {
        // a model that learned nothing scores about ln(258) = 5.55 nats per byte
        String[] r = run("score", "--text", "And God said, Let there be light: and there was light.", "--json");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        double meanNll = JsonMapper.builder().build().readTree(r[1]).get("mean_nll").asDouble();
        assertThat(meanNll).isLessThan(2.5);
    }

    @Test
    void generateRunsWithoutAModelFlag() {
        String[] r = run("generate", "-n", "40", "--temperature", "0", "--json", "And God said");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode j = JsonMapper.builder().build().readTree(r[1]);
        assertThat(j.get("tokens").size()).isPositive();
        assertThat(j.get("text").asString()).isNotBlank();
    }

    @Test
    void benchFitsItsDefaultLengthsIntoASmallContext() {
        // the defaults (128 + 64 tokens) do not fit a context of 120: they shrink to it
        String[] r = run("bench", "--repeat", "1", "--json", "--context", "120", "--warmup-seconds", "0.2");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode j = JsonMapper.builder().build().readTree(r[1]);
        assertThat(j.get("prompt_tokens").asInt() + j.get("gen_tokens").asInt()).isEqualTo(120);
        assertThat(j.get("gen_tokens_per_s").asDouble()).isPositive();
        assertThat(j.get("warmup_runs").asInt()).as("warm-up runs repeat for the warm-up time").isPositive();
        // per token: every block matrix, the (tied) output projection, one embedding row
        long expectedBytes = 0;
        try (var file = dev.seriatim.io.gguf.GgufFile.open(DefaultModel.path())) {
            for (var t : file.tensors()) {
                if (t.rank() == 2 && t.name().startsWith("blk.")) {
                    expectedBytes += t.byteSize();
                } else if (t.name().equals("token_embd.weight")) {
                    expectedBytes += t.byteSize() + t.byteSize() / t.shape()[1];
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(j.get("weight_bytes_per_token").asLong()).isEqualTo(expectedBytes);
        double bandwidth = j.get("bandwidth_gb_s").asDouble();
        assertThat(bandwidth).isPositive();
        assertThat(j.get("bandwidth_fraction").asDouble()).isCloseTo(
                j.get("gen_tokens_per_s").asDouble() * expectedBytes / (bandwidth * 1e9),
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(j.get("kv_cache").asString()).as("halves by default, as llama.cpp").isEqualTo("f16");
        String[] skipped = run("bench", "--repeat", "1", "--json", "--no-bandwidth", "--warmup-seconds", "0",
                "--kv-cache", "f32");
        assertThat(JsonMapper.builder().build().readTree(skipped[1]).get("warmup_runs").asInt()).isEqualTo(1);
        assertThat(JsonMapper.builder().build().readTree(skipped[1]).get("kv_cache").asString()).isEqualTo("f32");
        assertThat(JsonMapper.builder().build().readTree(skipped[1]).has("bandwidth_gb_s")).isFalse();
        String[] explicit = run("bench", "--prompt-tokens", "200", "--context", "120");
        assertThat(explicit[0]).isEqualTo("2");
        assertThat(explicit[2]).contains("exceeds the context of 120");
        String[] badWarmup = run("bench", "--warmup-seconds", "-1");
        assertThat(badWarmup[0]).isEqualTo("2");
        assertThat(badWarmup[2]).contains("--warmup-seconds must be between 0 and 3600");
    }
}
