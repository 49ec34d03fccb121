package dev.seriatim.text.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seriatim.io.gguf.GgufFile;
import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.Parallel;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The KV cache must not change the answer: logits from a cached step, from a batched prefill
 * and from any number of threads equal those of recomputing the whole sequence.
 */
class TransformerCacheTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void cachedStepsEqualFullRecomputation(Architecture arch) throws Exception {
        Path file = dir.resolve(arch + ".gguf");
        TransformerConfig config = TinyModels.config(arch, 300);
        RandomModelWriter.write(config, GgmlType.F32, 7, file);
        int[] tokens = new Random(3).ints(40, 0, 300).toArray();
        try (GgufFile gguf = GgufFile.open(file); Parallel serial = Parallel.serial(); Parallel three = new Parallel(3)) {
            TransformerConfig c = TransformerLoader.config(gguf);
            TransformerWeights w = TransformerLoader.weights(gguf, c);
            assertThat(c).isEqualTo(config);

            // reference: for each prefix, a fresh state fed the whole prefix one token at a time
            Transformer oneByOne = new Transformer(c, w, serial, 64, 1);
            float[][] expected = new float[tokens.length][];
            TransformerState s = oneByOne.newState();
            for (int t = 0; t < tokens.length; t++) {
                expected[t] = oneByOne.append(s, tokens, t, 1).clone();
            }
            // full recomputation of the last position from scratch agrees with the cached step
            float[] last = oneByOne.append(oneByOne.newState(), tokens, 0, tokens.length);
            assertClose(last, expected[tokens.length - 1], 1e-5f);

            // batched prefill (batch 16 over 40 tokens: partial batches too), 3 threads, all positions
            Transformer batched = new Transformer(c, w, three, 64, 16);
            float[][] got = new float[tokens.length][];
            batched.appendScoring(batched.newState(), tokens, 0, tokens.length,
                    (i, logits, off) -> got[i] = java.util.Arrays.copyOfRange(logits, off, off + c.vocabSize()));
            for (int t = 0; t < tokens.length; t++) {
                assertClose(got[t], expected[t], 1e-4f);
            }

            // prefill then decode, as generation does
            TransformerState g = batched.newState();
            batched.append(g, tokens, 0, 25);
            for (int t = 25; t < tokens.length; t++) {
                float[] logits = batched.append(g, tokens, t, 1);
                assertClose(logits, expected[t], 1e-4f);
            }

            // a copied state continues exactly like the original
            TransformerState copy = batched.copyState(g);
            assertThat(batched.append(copy, new int[] {5}, 0, 1)).containsExactly(batched.append(g, new int[] {5}, 0, 1));
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void resultsDoNotDependOnThreadCount(Architecture arch) throws Exception {
        Path file = dir.resolve(arch + "-q8.gguf");
        RandomModelWriter.write(TinyModels.config(arch, 270), GgmlType.Q8_0, 11, file);
        int[] tokens = new Random(5).ints(30, 0, 270).toArray();
        float[] reference = null;
        try (GgufFile gguf = GgufFile.open(file)) {
            TransformerConfig c = TransformerLoader.config(gguf);
            TransformerWeights w = TransformerLoader.weights(gguf, c);
            for (int threads = 1; threads <= 4; threads++) {
                try (Parallel p = threads == 1 ? Parallel.serial() : new Parallel(threads)) {
                    Transformer m = new Transformer(c, w, p, 64);
                    float[] logits = m.append(m.newState(), tokens, 0, tokens.length).clone();
                    if (reference == null) {
                        reference = logits;
                    } else {
                        assertThat(logits).as("threads=%d", threads).containsExactly(reference);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void rejectsTokensOutsideTheVocabularyAndAFullContext(Architecture arch) throws Exception {
        Path file = dir.resolve(arch + "-bad.gguf");
        RandomModelWriter.write(TinyModels.config(arch, 270), GgmlType.F32, 1, file);
        try (GgufFile gguf = GgufFile.open(file); Parallel p = Parallel.serial()) {
            TransformerConfig c = TransformerLoader.config(gguf);
            Transformer m = new Transformer(c, TransformerLoader.weights(gguf, c), p, 8);
            assertThatThrownBy(() -> m.append(m.newState(), new int[] {270}, 0, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token id 270");
            assertThatThrownBy(() -> m.append(m.newState(), new int[9], 0, 9))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("context full");
        }
    }

    static void assertClose(float[] actual, float[] expected, float tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            float scale = Math.max(1f, Math.abs(expected[i]));
            assertThat(Math.abs(actual[i] - expected[i]))
                    .as("logit %d: %s vs %s", i, actual[i], expected[i])
                    .isLessThanOrEqualTo(tolerance * scale);
        }
    }
}
