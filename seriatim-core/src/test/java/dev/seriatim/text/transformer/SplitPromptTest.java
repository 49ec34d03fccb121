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

/**
 * A position's logits do not depend on how the prompt before it was split into calls of more than
 * {@link Transformer#ONE_AT_A_TIME_MAX} tokens, even where a batch's SwiGLU layer goes in several
 * slices: a chat that prefills only the new turn must see what a prefill of the whole
 * conversation sees. Shorter calls take their tokens one at a time, as generation does.
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
     * A call of at most {@link Transformer#ONE_AT_A_TIME_MAX} tokens gives, bit for bit, the
     * logits and cache of its tokens appended one at a time (the decode path, faster than a batch
     * that short), whether it asks for the last logits or scores every position.
     */
    @Test
    void aShortCallGivesTheBitsOfOneTokenAtATime() throws Exception {
        TransformerConfig config = new TransformerConfig(Architecture.LLAMA, 64, 2, 4, 2, 16, 192, 300, 256, 1e-5f,
                10000f, 16, 1f, false);
        Path file = dir.resolve("short.gguf");
        RandomModelWriter.write(config, GgmlType.Q4_0, 17, file);
        int k = Transformer.ONE_AT_A_TIME_MAX;
        assertThat(k).isGreaterThan(1);
        int[] tokens = new Random(9).ints(30 + k, 0, 300).toArray();
        try (GgufFile gguf = GgufFile.open(file); Parallel two = new Parallel(2)) {
            TransformerConfig c = TransformerLoader.config(gguf);
            Transformer model = new Transformer(c, TransformerLoader.weights(gguf, c), two, 256, 32);
            TransformerState prefix = model.newState();
            model.append(prefix, tokens, 0, 30);

            TransformerState stepped = model.copyState(prefix);
            float[][] steps = new float[k][];
            for (int i = 0; i < k; i++) {
                steps[i] = model.append(stepped, tokens, 30 + i, 1).clone();
            }
            TransformerState call = model.copyState(prefix);
            assertThat(model.append(call, tokens, 30, k)).containsExactly(steps[k - 1]);
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
