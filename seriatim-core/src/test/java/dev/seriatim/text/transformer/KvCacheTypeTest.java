package dev.seriatim.text.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seriatim.io.gguf.GgufFile;
import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.Parallel;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cache of halves: close to the float cache (only the keys and values are rounded), and
 * with the same guarantees: a prompt split into calls (the last growing the cache) gives the
 * same bits as one call, and a copied state goes on alike.
 */
class KvCacheTypeTest {

    @TempDir
    Path dir;

    @Test
    void halvesStayCloseToFloatsAndKeepTheBatchGuarantees() throws Exception {
        TransformerConfig config = new TransformerConfig(Architecture.LLAMA, 64, 2, 4, 2, 16, 192, 300, 512, 1e-5f,
                10000f, 16, 1f, false);
        Path file = dir.resolve("m.gguf");
        RandomModelWriter.write(config, GgmlType.Q8_0, 17, file);
        int[] tokens = new Random(3).ints(300, 0, 300).toArray();
        try (GgufFile gguf = GgufFile.open(file); Parallel two = new Parallel(2)) {
            TransformerConfig c = TransformerLoader.config(gguf);
            TransformerWeights w = TransformerLoader.weights(gguf, c);
            Transformer floats = new Transformer(c, w, two, 512, 64, KvCacheType.F32);
            Transformer halves = new Transformer(c, w, two, 512, 64, KvCacheType.F16);

            float[] reference = floats.append(floats.newState(), tokens, 0, tokens.length).clone();
            TransformerState whole = halves.newState();
            float[] got = halves.append(whole, tokens, 0, tokens.length).clone();
            double worst = 0;
            for (int v = 0; v < reference.length; v++) {
                worst = Math.max(worst, Math.abs(got[v] - reference[v]) / Math.max(1, Math.abs(reference[v])));
            }
            assertThat(worst).as("rounding the cache moves the logits a little").isGreaterThan(0).isLessThan(1e-2);

            // in three calls, the last one growing the cache past its first 256 positions
            TransformerState split = halves.newState();
            halves.append(split, tokens, 0, 100);
            halves.append(split, tokens, 100, 100);
            assertThat(halves.append(split, tokens, 200, 100)).containsExactly(got);

            TransformerState copy = halves.copyState(whole);
            int[] next = {7};
            assertThat(halves.append(copy, next, 0, 1)).containsExactly(halves.append(whole, next, 0, 1));
        }
    }

    @Test
    void namesParse() {
        assertThat(KvCacheType.parse("F16")).isEqualTo(KvCacheType.F16);
        assertThat(KvCacheType.parse("f32")).isEqualTo(KvCacheType.F32);
        assertThatThrownBy(() -> KvCacheType.parse("q8_0")).hasMessageContaining("\"q8_0\"");
    }
}
