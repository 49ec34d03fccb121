package dev.seriatim.text.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.io.gguf.GgufFile;
import dev.seriatim.tensor.Parallel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Logits of small random-weight models (written by Seriatim's own GGUF writer) against an
 * independent PyTorch implementation: tools/reference/gguf_logits.py, run by
 * tools/reference/make_golden_fixtures.sh, which computes in float64 from the same file bytes.
 *
 * <p>Tolerance: |ours - reference| <= tol * max(1, |reference|). Seriatim computes in float32
 * and the reference dequantizes the very same blocks, so every weight type shares the float32
 * rounding budget; quantization error itself is not part of the comparison.
 */
class GoldenLogitsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "llama-f32,  2e-5",
            "qwen2-f32,  2e-5",
            "gpt2-f32,   2e-5",
            "llama-f16,  2e-5",
            "llama-bf16, 2e-5",
            "llama-q8_0, 2e-5",
            "llama-q4_0, 2e-5",
            "qwen2-q8_0, 2e-5",
            "gpt2-q4_0,  2e-5",
    })
    void logitsMatchTheReference(String name, double tolerance) throws Exception {
        Path model = Path.of(GoldenLogitsTest.class.getResource("/golden/" + name + ".gguf").toURI());
        JsonNode expected = readGz("/golden/" + name + ".logits.json.gz");
        int[] tokens = new int[expected.get("tokens").size()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = expected.get("tokens").get(i).asInt();
        }
        try (GgufFile file = GgufFile.open(model); Parallel p = new Parallel(2)) {
            TransformerConfig c = TransformerLoader.config(file);
            Transformer t = new Transformer(c, TransformerLoader.weights(file, c), p, 64, 8);
            float[][] got = new float[tokens.length][];
            t.appendScoring(t.newState(), tokens, 0, tokens.length,
                    (i, logits, off) -> got[i] = Arrays.copyOfRange(logits, off, off + c.vocabSize()));
            double worst = 0;
            for (int pos = 0; pos < tokens.length; pos++) {
                JsonNode row = expected.get("logits").get(pos);
                assertThat(row.size()).isEqualTo(c.vocabSize());
                for (int v = 0; v < row.size(); v++) {
                    double ref = row.get(v).asDouble();
                    double err = Math.abs(got[pos][v] - ref) / Math.max(1, Math.abs(ref));
                    worst = Math.max(worst, err);
                    assertThat(err).as("%s position %d token %d: %s vs reference %s", name, pos, v, got[pos][v], ref)
                            .isLessThanOrEqualTo(tolerance);
                }
            }
            assertThat(worst).as("a comparison that cannot fail is no comparison").isGreaterThan(0);
        }
    }

    static JsonNode readGz(String resource) throws IOException {
        try (InputStream in = new GZIPInputStream(GoldenLogitsTest.class.getResourceAsStream(resource))) {
            return JsonMapper.builder().build().readTree(in);
        }
    }

    static Path resource(String name) throws Exception {
        Path p = Path.of(GoldenLogitsTest.class.getResource(name).toURI());
        assertThat(Files.size(p)).isPositive();
        return p;
    }
}
