package dev.seriatim.text.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.io.gguf.GgufFile;
import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.Parallel;
import dev.seriatim.tensor.WeightMatrix;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A position's logits do not depend on how the prompt before it was split into calls of more than
 * {@link Transformer#oneAtATimeMax} tokens, even where a batch's SwiGLU layer goes in several
 * slices: a chat that prefills only the new turn must see what a prefill of the whole
 * conversation sees. Shorter calls give each token the bits it gets alone, as generation does.
 */
class SplitPromptTest {

    @TempDir
    Path dir;

    @Test
    void splittingThePromptChangesNoBitOfTheLogits() throws Exception {
        // a hidden layer wide enough that a full batch goes in slices but a short call would fit in one
        TransformerConfig config = new TransformerConfig(Architecture.LLAMA, 64, 2, 4, 2, 16, 4096, 300, 256, 1e-5f,
                10000f, 16, 1f, false);
        int batch = 128;
        assertThat(WeightMatrix.hiddenSliceColumns(batch, config.ffnDim())).isLessThan(config.ffnDim());
        assertThat(WeightMatrix.hiddenSliceColumns(40, config.ffnDim())).isEqualTo(config.ffnDim());

        Path file = dir.resolve("wide.gguf");
        RandomModelWriter.write(config, GgmlType.Q8_0, 11, file);
        int[] tokens = new Random(5).ints(100, 0, 300).toArray();
        try (GgufFile gguf = GgufFile.open(file); Parallel two = new Parallel(2)) {
            TransformerConfig c = TransformerLoader.config(gguf);
            Transformer model = new Transformer(c, TransformerLoader.weights(gguf, c), two, 256, batch);
            float[] whole = model.append(model.newState(), tokens, 0, tokens.length).clone();

            TransformerState split = model.newState();
            model.append(split, tokens, 0, 40);
            float[] inTwo = model.append(split, tokens, 40, tokens.length - 40);
            assertThat(inTwo).containsExactly(whole);
        }
    }

    /**
     * A long call whose last batch holds a single token (2 batches + 1 tokens) gives that token
     * the batched path's bits, as a call that holds it in a longer batch does.
     */
    @Test
    void aLastBatchOfOneTokenKeepsTheBatchedBits() throws Exception {
        TransformerConfig config = new TransformerConfig(Architecture.LLAMA, 256, 2, 4, 2, 64, 512, 300, 256, 1e-5f,
                10000f, 16, 1f, false);
        Path file = dir.resolve("tail.gguf");
        RandomModelWriter.write(config, GgmlType.Q4_0, 19, file);
        int batch = 32;
        int[] tokens = new Random(3).ints(2 * batch + 1, 0, 300).toArray();
        try (GgufFile gguf = GgufFile.open(file); Parallel two = new Parallel(2)) {
            TransformerConfig c = TransformerLoader.config(gguf);
            Transformer model = new Transformer(c, TransformerLoader.weights(gguf, c), two, 256, batch);
            TransformerState whole = model.newState();
            float[] last = model.append(whole, tokens, 0, tokens.length).clone();
            TransformerState split = model.newState();
            assertThat(20).isGreaterThan(model.oneAtATimeMax());
            model.append(split, tokens, 0, 20); // batches of 20, then 32 and 13
            assertThat(model.append(split, tokens, 20, tokens.length - 20)).as("the prompt's last logits")
                    .containsExactly(last);
            int[] next = {42};
            assertThat(model.append(whole, next, 0, 1)).containsExactly(model.append(split, next, 0, 1));
        }
    }

    /**
     * A call of at most {@link Transformer#oneAtATimeMax} tokens (16, or 8 with K-quants) gives,
     * bit for bit, the logits and cache of its tokens appended one at a time (the decode path,
     * faster than a batch that short), whether it asks for the last logits or scores every
     * position: for grouped and plain multi-head attention (GPT-2: fused qkv, GELU, biases), over
     * either cache type.
     */
    @ParameterizedTest
    @CsvSource({"LLAMA, F16, Q4_0, 16", "LLAMA, F32, Q8_0, 16", "QWEN2, F16, F16, 16", "GPT2, F16, Q4_0, 16",
            "GPT2, F32, Q8_0, 16", "LLAMA, F16, Q4_K, 8"})
    void aShortCallGivesTheBitsOfOneTokenAtATime(Architecture architecture, KvCacheType kv, GgmlType type,
                                                  int expectedMax) throws Exception {
        TransformerConfig config = type.blockSize() == 256
                ? new TransformerConfig(architecture, 256, 2, 4, 2, 64, 256, 300, 96, 1e-5f, 10000f, 64, 1f, false)
                : TinyModels.config(architecture, 300);
        Path file = dir.resolve("short-" + architecture + "-" + type + ".gguf");
        RandomModelWriter.write(config, type, 17, file);
        int[] tokens = new Random(9).ints(30 + expectedMax, 0, 300).toArray();
        try (GgufFile gguf = GgufFile.open(file); Parallel two = new Parallel(2)) {
            TransformerConfig c = TransformerLoader.config(gguf);
            Transformer model = new Transformer(c, TransformerLoader.weights(gguf, c), two, 96, 32, kv);
            int k = model.oneAtATimeMax();
            assertThat(k).isEqualTo(expectedMax);
            TransformerState prefix = model.newState();
            model.append(prefix, tokens, 0, 30);

            TransformerState stepped = model.copyState(prefix);
            float[][] steps = new float[k][];
            for (int i = 0; i < k; i++) {
                steps[i] = model.append(stepped, tokens, 30 + i, 1).clone();
            }
            for (int n = 2; n <= k; n += k - 2) { // the shortest call and the longest
                TransformerState call = model.copyState(prefix);
                assertThat(model.append(call, tokens, 30, n)).as("%d tokens", n).containsExactly(steps[n - 1]);
            }
            TransformerState call = model.copyState(prefix);
            model.append(call, tokens, 30, k);
            TransformerState scored = model.copyState(prefix);
            float[][] rows = new float[k][];
            model.appendScoring(scored, tokens, 30, k,
                    (pos, logits, off) -> rows[pos - 30] = java.util.Arrays.copyOfRange(logits, off, off + c.vocabSize()));
            for (int i = 0; i < k; i++) {
                assertThat(rows[i]).as("position %d", 30 + i).containsExactly(steps[i]);
            }
            int[] next = {42};
            float[] after = model.append(stepped, next, 0, 1).clone();
            assertThat(model.append(call, next, 0, 1)).as("the cache the call left").containsExactly(after);
            assertThat(model.append(scored, next, 0, 1)).as("the cache scoring left").containsExactly(after);
        }
    }

    /**
     * A prompt's last block runs on for its last token alone (the others' outputs reach nothing):
     * the logits agree with scoring every position, which runs the whole batch to the end, and
     * the cache it leaves is the same, bit for bit, as the next token shows.
     */
    @Test
    void thePromptsLastBlockForItsLastTokenAloneAgreesWithScoring() throws Exception {
        TransformerConfig config = new TransformerConfig(Architecture.LLAMA, 64, 3, 4, 2, 16, 192, 300, 256, 1e-5f,
                10000f, 16, 1f, false);
        Path file = dir.resolve("small.gguf");
        RandomModelWriter.write(config, GgmlType.Q8_0, 13, file);
        int[] tokens = new Random(7).ints(70, 0, 300).toArray();
        int[] next = {42};
        try (GgufFile gguf = GgufFile.open(file); Parallel two = new Parallel(2)) {
            TransformerConfig c = TransformerLoader.config(gguf);
            Transformer model = new Transformer(c, TransformerLoader.weights(gguf, c), two, 256, 32);
            TransformerState prompted = model.newState();
            float[] last = model.append(prompted, tokens, 0, tokens.length).clone();
            TransformerState scored = model.newState();
            float[][] rows = new float[tokens.length][];
            model.appendScoring(scored, tokens, 0, tokens.length,
                    (pos, logits, off) -> rows[pos] = java.util.Arrays.copyOfRange(logits, off, off + c.vocabSize()));
            float[] reference = rows[tokens.length - 1];
            for (int v = 0; v < c.vocabSize(); v++) {
                assertThat((double) last[v]).as("token %d", v)
                        .isCloseTo(reference[v], org.assertj.core.api.Assertions.within(1e-4 * Math.max(1, Math.abs(reference[v]))));
            }
            assertThat(model.append(prompted, next, 0, 1)).containsExactly(model.append(scored, next, 0, 1));
        }
    }
}
