package dev.seriatim.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.io.gguf.GgufFile;
import dev.seriatim.io.gguf.GgufTensorInfo;
import dev.seriatim.tensor.GgmlType;
import dev.seriatim.text.transformer.Architecture;
import dev.seriatim.text.transformer.RandomModelWriter;
import dev.seriatim.text.transformer.TransformerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code seriatim quantize} and the K-quant types of {@code seriatim random-model}, end to end. */
class QuantizeCommandTest {

    @TempDir
    static Path dir;

    static Path f32;

    @BeforeAll
    static void writeModel() throws Exception {
        f32 = dir.resolve("f32.gguf");
        RandomModelWriter.write(new TransformerConfig(Architecture.LLAMA, 256, 1, 4, 2, 64, 512, 300, 64,
                1e-5f, 10000f, 64, 1f, false), GgmlType.F32, 5, f32);
    }

    @ParameterizedTest
    @ValueSource(strings = {"q4_k", "q5_k", "q6_k", "q4_k_m", "q8_0", "q4_0", "q4_1", "q5_0", "q5_1", "f16", "bf16", "f32"})
    void quantizedModelsLoadAndScore(String type) throws Exception {
        Path out = dir.resolve("out-" + type + ".gguf");
        CliTest.Result r = CliTest.run("quantize", "--in", f32.toString(), "--out", out.toString(), "--type", type);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + out).contains("-> " + type);
        CliTest.Result score = CliTest.run("score", "--model", out.toString(), "--text", "hello world", "--json");
        assertThat(score.code()).as(score.err()).isZero();
        assertThat(score.json().get("scored_tokens").asInt()).isPositive();
        assertThat(score.json().get("perplexity").asDouble()).isFinite();
    }

    @Test
    void fallbacksAreNamed() throws Exception {
        Path tiny = dir.resolve("tiny.gguf");
        CliTest.Result w = CliTest.run("random-model", "--preset", "tiny", "--type", "f32", "--out", tiny.toString());
        assertThat(w.code()).as(w.err()).isZero();
        Path out = dir.resolve("tiny-q4_k.gguf");
        CliTest.Result r = CliTest.run("quantize", "--in", tiny.toString(), "--out", out.toString(), "--type", "Q4_K");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("blk.0.attn_q.weight: rows of 64 are not a multiple of Q4_K's block of 256 (Q5_0 instead)");
    }

    @Test
    void keepOptionsKeepTheInputType() throws Exception {
        Path out = dir.resolve("kept.gguf");
        CliTest.Result r = CliTest.run("quantize", "--in", f32.toString(), "--out", out.toString(), "--type", "q4_k",
                "--keep-output", "--keep-embedding");
        assertThat(r.code()).as(r.err()).isZero();
        try (GgufFile file = GgufFile.open(out)) {
            assertThat(file.tensor("output.weight").map(GgufTensorInfo::type)).contains(GgmlType.F32);
            assertThat(file.tensor("token_embd.weight").map(GgufTensorInfo::type)).contains(GgmlType.F32);
            assertThat(file.tensor("blk.0.ffn_up.weight").map(GgufTensorInfo::type)).contains(GgmlType.Q4_K);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"q4_k", "q5_k", "q6_k"})
    void randomModelWritesKQuants(String type) throws Exception {
        Path out = dir.resolve("random-" + type + ".gguf");
        // stories15m has dim 288 (not a multiple of 256: llama.cpp's fallback) and ffn 768 (3 super-blocks)
        CliTest.Result r = CliTest.run("random-model", "--preset", "stories15m", "--type", type, "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        try (GgufFile file = GgufFile.open(out)) {
            assertThat(file.tensor("blk.0.ffn_down.weight").map(GgufTensorInfo::type))
                    .contains(GgmlType.valueOf(type.toUpperCase(java.util.Locale.ROOT)));
            GgmlType fallback = switch (type) {
                case "q4_k" -> GgmlType.Q5_0;
                case "q5_k" -> GgmlType.Q5_1;
                default -> GgmlType.Q8_0;
            };
            assertThat(file.tensor("blk.0.attn_q.weight").map(GgufTensorInfo::type)).contains(fallback);
        }
    }

    @Test
    void badInputGivesOneLineAndExitCode2() throws Exception {
        Path out = dir.resolve("x.gguf");
        CliTest.Result type = CliTest.run("quantize", "--in", f32.toString(), "--out", out.toString(), "--type", "q3_k");
        assertThat(type.code()).isEqualTo(2);
        assertThat(type.err().strip()).isEqualTo("seriatim: --type: unknown type 'q3_k' (expected "
                + "q8_0, q4_0, q4_1, q5_0, q5_1, q4_k, q4_k_m, q5_k, q6_k, f16, bf16 or f32)");

        CliTest.Result missing = CliTest.run("quantize", "--in", dir.resolve("nope.gguf").toString(), "--out", out.toString(), "--type", "q4_k");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip()).startsWith("seriatim: file not found").doesNotContain("\n");

        Path notGguf = dir.resolve("not.gguf");
        Files.writeString(notGguf, "hello");
        CliTest.Result bad = CliTest.run("quantize", "--in", notGguf.toString(), "--out", out.toString(), "--type", "q4_k");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().strip()).startsWith("seriatim: not a valid GGUF file").doesNotContain("\n");

        CliTest.Result same = CliTest.run("quantize", "--in", f32.toString(), "--out", f32.toString(), "--type", "q4_k");
        assertThat(same.code()).isEqualTo(2);
        assertThat(same.err()).contains("must not be the input file");

        CliTest.Result dirMissing = CliTest.run("quantize", "--in", f32.toString(), "--out",
                dir.resolve("no/such/dir/x.gguf").toString(), "--type", "q4_k");
        assertThat(dirMissing.code()).isEqualTo(2);
        assertThat(Files.exists(out)).isFalse();
    }
}
