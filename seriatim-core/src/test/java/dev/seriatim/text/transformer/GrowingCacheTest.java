package dev.seriatim.text.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.io.gguf.GgufFile;
import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.Parallel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KV cache and the activation buffers start empty and grow as positions arrive; growth (at
 * 256 and 512 positions here, then to the capacity) must not change any logit, whether the
 * positions come one at a time, in batches that straddle a growth point, or in a state copied
 * before growing.
 */
class GrowingCacheTest {

    @TempDir
    Path dir;

    @Test
    void logitsAcrossGrowthPointsEqualThoseOfOneBatchedPass() throws Exception {
        Path file = dir.resolve("long.gguf");
        TransformerConfig tiny = TinyModels.config(Architecture.LLAMA, 300);
        TransformerConfig config = new TransformerConfig(tiny.architecture(), tiny.dim(), tiny.layers(), tiny.heads(),
                tiny.kvHeads(), tiny.headDim(), tiny.ffnDim(), tiny.vocabSize(), 700, tiny.normEps(),
                tiny.ropeTheta(), tiny.ropeDim(), tiny.ropeScale(), tiny.tiedOutput());
        RandomModelWriter.write(config, GgmlType.F32, 13, file);
        int[] tokens = new Random(9).ints(620, 0, 300).toArray();
        try (GgufFile gguf = GgufFile.open(file); Parallel two = new Parallel(2)) {
            TransformerConfig c = TransformerLoader.config(gguf);
            TransformerWeights w = TransformerLoader.weights(gguf, c);
            Transformer model = new Transformer(c, w, two, 700, 64);

            float[][] batched = new float[tokens.length][];
            TransformerState whole = model.newState();
            assertThat(whole.allocated).isZero();
            assertThat(whole.rows).isZero();
            model.appendScoring(whole, tokens, 0, tokens.length,
                    (i, logits, off) -> batched[i] = Arrays.copyOfRange(logits, off, off + c.vocabSize()));
            assertThat(whole.allocated).isEqualTo(tokens.length); // allocated once, to what the call needs
            assertThat(whole.rows).isEqualTo(64); // the batch

            TransformerState single = model.newState();
            TransformerState copied = null;
            for (int t = 0; t < tokens.length; t++) {
                float[] logits = model.append(single, tokens, t, 1);
                assertClose(logits, batched[t], t);
                if (t == 250) {
                    copied = model.copyState(single); // copied before the first growth
                }
            }
            assertThat(single.allocated).isEqualTo(700); // 256 first, doubled at 257, then capped at the capacity
            assertThat(single.rows).isEqualTo(1); // one token at a time never needs more
            // the copy grows on its own and continues like the original did
            for (int t = 251; t < 300; t++) {
                assertClose(model.append(copied, tokens, t, 1), batched[t], t);
            }
            // a batch that straddles the growth at 512
            TransformerState straddle = model.newState();
            model.append(straddle, tokens, 0, 20);
            assertThat(straddle.rows).isEqualTo(20);
            model.append(straddle, tokens, 20, 30);
            assertThat(straddle.rows).isEqualTo(40); // doubled rather than grown by 10
            model.append(straddle, tokens, 50, 450);
            assertThat(straddle.rows).isEqualTo(64); // capped at the batch
            assertClose(model.append(straddle, tokens, 500, 40), batched[539], 539);

            // a caller that knows its length reserves exactly that: no doubling past it
            TransformerState reserved = model.newState();
            model.reserve(reserved, 300);
            assertThat(reserved.allocated).isEqualTo(300);
            for (int t = 0; t < 300; t++) {
                assertClose(model.append(reserved, tokens, t, 1), batched[t], t);
            }
            assertThat(reserved.allocated).isEqualTo(300);
            model.reserve(reserved, 200); // never shrinks
            assertThat(reserved.allocated).isEqualTo(300);
            assertClose(model.append(reserved, tokens, 300, 1), batched[300], 300); // beyond it: grows as before
            assertThat(reserved.allocated).isEqualTo(600);
            TransformerState capped = model.newState();
            model.reserve(capped, 5000);
            assertThat(capped.allocated).isEqualTo(700);
        }
    }

    private static void assertClose(float[] got, float[] expected, int position) {
        for (int i = 0; i < expected.length; i++) {
            assertThat(got[i]).as("position %d logit %d", position, i)
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4f * Math.max(1f, Math.abs(expected[i]))));
        }
    }
}
