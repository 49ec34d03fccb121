package dev.seriatim.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.io.gguf.GgufFile;
import dev.seriatim.io.gguf.GgufTensorInfo;
import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.Parallel;
import dev.seriatim.text.transformer.Architecture;
import dev.seriatim.text.transformer.RandomModelWriter;
import dev.seriatim.text.transformer.Transformer;
import dev.seriatim.text.transformer.TransformerConfig;
import dev.seriatim.text.transformer.TransformerLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Re-quantizing a model keeps its logits close to the float32 model's, and the file well formed. */
class ModelQuantizerTest {

    @TempDir
    static Path dir;

    static Path f32;
    static float[] f32Logits;
    static final int[] TOKENS = {1, 72, 101, 108, 108, 111, 44, 32, 119, 111, 114, 108, 100, 280, 290, 2};

    /** dim 256 and ffn 512: every matrix row is a whole number of K-quant super-blocks. */
    static TransformerConfig config() {
        return new TransformerConfig(Architecture.LLAMA, 256, 2, 4, 2, 64, 512, 300, 64,
                1e-5f, 10000f, 64, 1f, false);
    }

    @BeforeAll
    static void writeFloatModel() throws Exception {
        f32 = dir.resolve("f32.gguf");
        RandomModelWriter.write(config(), GgmlType.F32, 7, 0.08, f32);
        f32Logits = logits(f32);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // random weights of std 0.08 through 2 layers amplify weight error: the bounds are
            // about 1.5x the errors measured when written (f16 0.0009, bf16 0.009, q8_0 0.027,
            // q6_k 0.091, q5_k 0.18, q4_k_m 0.33, q4_k 0.34, q4_0 0.41)
            "f16,    0.0015",
            "bf16,   0.015",
            "q8_0,   0.04",
            "q6_k,   0.14",
            "q5_k,   0.27",
            "q4_k,   0.5",
            "q4_k_m, 0.5",
            "q4_0,   0.6",
    })
    void logitsStayCloseToTheFloatModel(String type, double bound) throws Exception {
        Path out = dir.resolve(type + ".gguf");
        quantize(f32, QuantizationPlan.parse(type, false, false), out, 2);
        double error = relativeRmsError(logits(out), f32Logits);
        assertThat(error).isLessThan(bound).isGreaterThan(0);
    }

    @Test
    void moreBitsKeepTheLogitsCloser() throws Exception {
        double previous = 0;
        for (String type : List.of("q8_0", "q6_k", "q5_k", "q4_k", "q4_0")) {
            Path out = dir.resolve("order-" + type + ".gguf");
            quantize(f32, QuantizationPlan.parse(type, false, false), out, 2);
            double error = relativeRmsError(logits(out), f32Logits);
            assertThat(error).as(type).isGreaterThan(previous);
            previous = error;
        }
    }

    @Test
    void matricesGetTheTypeNormsStayF32AndMetadataIsCopied() throws Exception {
        Path out = dir.resolve("q5_k-check.gguf");
        List<ModelQuantizer.TensorReport> reports = quantize(f32, QuantizationPlan.parse("q5_k", false, false), out, 1);
        assertThat(reports).allSatisfy(r -> assertThat(r.note()).isNull());
        try (GgufFile in = GgufFile.open(f32); GgufFile q = GgufFile.open(out)) {
            for (GgufTensorInfo t : q.tensors()) {
                assertThat(t.type()).as(t.name()).isEqualTo(t.rank() == 1 ? GgmlType.F32 : GgmlType.Q5_K);
                assertThat(t.shape()).isEqualTo(in.tensor(t.name()).orElseThrow().shape());
            }
            assertThat(q.tensors()).extracting(GgufTensorInfo::name)
                    .containsExactlyElementsOf(in.tensors().stream().map(GgufTensorInfo::name).toList());
            assertThat(q.metadata().getLong("general.file_type")).isEqualTo(16);
            for (String key : in.metadata().keys()) {
                if (key.equals("general.file_type")) {
                    continue; // rewritten for the new type, checked above
                }
                assertThat(q.metadata().get(key)).as(key).isEqualTo(in.metadata().get(key));
            }
        }
    }

    @Test
    void theMixUsesQ6_KForTheOutputAndSomeLayers() throws Exception {
        Path out = dir.resolve("mix.gguf");
        quantize(f32, QuantizationPlan.parse("q4_k_m", false, false), out, 2);
        Map<String, GgmlType> types = types(out);
        assertThat(types.get("output.weight")).isEqualTo(GgmlType.Q6_K);
        assertThat(types.get("token_embd.weight")).isEqualTo(GgmlType.Q4_K);
        // 2 layers: 2/8 = 0 so only layers >= 7*2/8 = 1 get more bits
        assertThat(types.get("blk.0.attn_v.weight")).isEqualTo(GgmlType.Q4_K);
        assertThat(types.get("blk.1.attn_v.weight")).isEqualTo(GgmlType.Q6_K);
        assertThat(types.get("blk.1.ffn_down.weight")).isEqualTo(GgmlType.Q6_K);
        assertThat(types.get("blk.1.attn_q.weight")).isEqualTo(GgmlType.Q4_K);
        try (GgufFile q = GgufFile.open(out)) {
            assertThat(q.metadata().getLong("general.file_type")).isEqualTo(15);
        }
    }

    @Test
    void moreBitsFollowsLlamaCppsLayerChoice() {
        List<Integer> chosen = new ArrayList<>();
        for (int layer = 0; layer < 32; layer++) {
            if (QuantizationPlan.moreBits(layer, 32)) {
                chosen.add(layer);
            }
        }
        assertThat(chosen).containsExactly(0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 28, 29, 30, 31);
    }

    @Test
    void keptTensorsAreCopiedByteForByte() throws Exception {
        Path q8 = dir.resolve("q8.gguf");
        quantize(f32, QuantizationPlan.parse("q8_0", false, false), q8, 2);
        Path out = dir.resolve("kept.gguf");
        List<ModelQuantizer.TensorReport> reports = quantize(q8, QuantizationPlan.parse("q4_k", true, true), out, 2);
        assertThat(reports).filteredOn(r -> r.note() != null).extracting(ModelQuantizer.TensorReport::name)
                .containsExactlyInAnyOrder("output.weight", "token_embd.weight");
        try (GgufFile in = GgufFile.open(q8); GgufFile q = GgufFile.open(out)) {
            for (String name : List.of("output.weight", "token_embd.weight")) {
                GgufTensorInfo t = q.tensor(name).orElseThrow();
                assertThat(t.type()).isEqualTo(GgmlType.Q8_0);
                assertThat(q.data(t).mismatch(in.data(in.tensor(name).orElseThrow()))).isEqualTo(-1);
            }
            assertThat(q.tensor("blk.0.attn_q.weight").orElseThrow().type()).isEqualTo(GgmlType.Q4_K);
        }
    }

    @Test
    void rowsThatDoNotFitTheBlockFallBackAndSaySo() throws Exception {
        Path tiny = dir.resolve("tiny-f32.gguf");
        // dim 64, ffn 96: rows of 64 fall back to Q8_0, rows of 96 as well (96 % 32 == 0)
        RandomModelWriter.write(new TransformerConfig(Architecture.LLAMA, 64, 1, 2, 2, 32, 96, 300, 32,
                1e-5f, 10000f, 32, 1f, false), GgmlType.F32, 3, tiny);
        Path out = dir.resolve("tiny-q6_k.gguf");
        List<ModelQuantizer.TensorReport> reports = quantize(tiny, QuantizationPlan.parse("q6_k", false, false), out, 1);
        assertThat(reports).filteredOn(r -> r.from() == GgmlType.F32 && r.to() == GgmlType.Q8_0)
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.note()).contains("not a multiple of Q6_K's block of 256"));
        assertThat(logits(out)).hasSize(TOKENS.length * 300);
    }

    @Test
    void theFileDoesNotDependOnTheThreadCount() throws Exception {
        Path one = dir.resolve("one.gguf");
        Path three = dir.resolve("three.gguf");
        quantize(f32, QuantizationPlan.parse("q4_k_m", false, false), one, 1);
        quantize(f32, QuantizationPlan.parse("q4_k_m", false, false), three, 3);
        assertThat(Files.mismatch(one, three)).isEqualTo(-1);
    }

    static List<ModelQuantizer.TensorReport> quantize(Path in, QuantizationPlan plan, Path out, int threads) throws Exception {
        try (GgufFile file = GgufFile.open(in); Parallel p = new Parallel(threads)) {
            return ModelQuantizer.quantize(file, plan, out, p, r -> {});
        }
    }

    static Map<String, GgmlType> types(Path model) throws Exception {
        try (GgufFile file = GgufFile.open(model)) {
            Map<String, GgmlType> types = new java.util.HashMap<>();
            file.tensors().forEach(t -> types.put(t.name(), t.type()));
            return types;
        }
    }

    /** All positions' logits, concatenated. */
    static float[] logits(Path model) throws Exception {
        try (GgufFile file = GgufFile.open(model); Parallel p = new Parallel(2)) {
            TransformerConfig c = TransformerLoader.config(file);
            Transformer t = new Transformer(c, TransformerLoader.weights(file, c), p, c.contextLength(), 8);
            float[] all = new float[TOKENS.length * c.vocabSize()];
            t.appendScoring(t.newState(), TOKENS, 0, TOKENS.length,
                    (i, logits, off) -> System.arraycopy(logits, off, all, i * c.vocabSize(), c.vocabSize()));
            return all;
        }
    }

    static double relativeRmsError(float[] got, float[] reference) {
        double error = 0;
        double norm = 0;
        for (int i = 0; i < got.length; i++) {
            error += (double) (got[i] - reference[i]) * (got[i] - reference[i]);
            norm += (double) reference[i] * reference[i];
        }
        return Math.sqrt(error / norm);
    }
}
