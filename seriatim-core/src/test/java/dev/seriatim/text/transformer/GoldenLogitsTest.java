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
            Transformer t = new Transformer(c, TransformerLoader.weights(file, c), p, 64, 8, KvCacheType.F32);
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

    /**
     * A KV cache of halves against the reference run with {@code --kv-cache f16}, which rounds
     * every key and value to a half before attention reads it, scored in one batch (prefill's
     * tiles) and one token at a time (generation's).
     *
     * <p>Two bounds. The engine rounds its float32 keys and values to halves where the reference
     * rounds its float64 ones, so a value within float32 error of a rounding boundary goes the
     * other way, moving a few logits by up to about 6e-4: each logit must be within 1e-3. And on
     * average the logits must lie ten times closer to this reference than the two references
     * (floats and halves) lie to each other, which a cache that kept floats, or rounded the wrong
     * values, cannot do.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"llama-f32", "qwen2-f32", "gpt2-f32"})
    void aCacheOfHalvesMatchesTheReferenceThatRoundsKeysAndValues(String name) throws Exception {
        Path model = Path.of(GoldenLogitsTest.class.getResource("/golden/" + name + ".gguf").toURI());
        double[][] halves = logits(readGz("/golden/" + name + ".kv-f16.logits.json.gz"));
        double[][] floats = logits(readGz("/golden/" + name + ".logits.json.gz"));
        int[] tokens = readGz("/golden/" + name + ".kv-f16.logits.json.gz").get("tokens").valueStream()
                .mapToInt(JsonNode::asInt).toArray();
        double apart = meanDistance(floats, halves);
        try (GgufFile file = GgufFile.open(model); Parallel p = new Parallel(2)) {
            TransformerConfig c = TransformerLoader.config(file);
            Transformer t = new Transformer(c, TransformerLoader.weights(file, c), p, 64, 8, KvCacheType.F16);
            double[][] batched = new double[tokens.length][];
            t.appendScoring(t.newState(), tokens, 0, tokens.length, (i, logits, off) -> batched[i] = widen(logits, off,
                    c.vocabSize()));
            double[][] alone = new double[tokens.length][];
            TransformerState s = t.newState();
            for (int pos = 0; pos < tokens.length; pos++) {
                int at = pos;
                t.appendScoring(s, tokens, pos, 1, (i, logits, off) -> alone[at] = widen(logits, off, c.vocabSize()));
            }
            for (double[][] got : new double[][][] {batched, alone}) {
                String how = got == batched ? "batched" : "alone";
                for (int pos = 0; pos < tokens.length; pos++) {
                    for (int v = 0; v < c.vocabSize(); v++) {
                        double ref = halves[pos][v];
                        assertThat(Math.abs(got[pos][v] - ref) / Math.max(1, Math.abs(ref)))
                                .as("%s %s position %d token %d: %s vs reference %s", name, how, pos, v, got[pos][v],
                                        ref)
                                .isLessThanOrEqualTo(1e-3);
                    }
                }
                assertThat(meanDistance(got, halves)).as("%s %s: mean distance to the reference of halves", name, how)
                        .isPositive()
                        .isLessThan(apart / 10);
            }
        }
    }

    private static double[][] logits(JsonNode fixture) {
        JsonNode rows = fixture.get("logits");
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i).valueStream().mapToDouble(JsonNode::asDouble).toArray();
        }
        return out;
    }

    private static double[] widen(float[] logits, int off, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = logits[off + i];
        }
        return out;
    }

    private static double meanDistance(double[][] a, double[][] b) {
        double sum = 0;
        long count = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                sum += Math.abs(a[i][j] - b[i][j]);
                count++;
            }
        }
        return sum / count;
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
