package dev.seriatim.text.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seriatim.io.gguf.GgufFile;
import dev.seriatim.io.gguf.GgufTensorInfo;
import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.Parallel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    /**
     * Keys past the largest half are stored as infinities; the state notes it, so attention
     * looks for them again and they reach the logits as NaN (an infinite score against an
     * infinite maximum), as over a float cache holding those infinities, rather than as the
     * finite values the unchecked widening would make of them. A reset forgets it.
     */
    @Test
    void keysPastTheLargestHalfAreNotedAndReachTheLogits() throws Exception {
        TransformerConfig config = new TransformerConfig(Architecture.LLAMA, 256, 2, 4, 1, 64, 256, 300, 512, 1e-5f,
                10000f, 64, 1f, false); // four heads of 64 on one kv head: the tiles that widen in registers
        Path file = dir.resolve("big-keys.gguf");
        RandomModelWriter.write(config, GgmlType.F32, 17, file);
        long at;
        long bytes;
        try (GgufFile gguf = GgufFile.open(file)) {
            GgufTensorInfo k = gguf.tensor("blk.1.attn_k.weight").orElseThrow();
            at = k.offset(); // from the start of the file
            bytes = k.byteSize();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer weights = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(weights, at);
            for (int i = 0; i < bytes; i += 4) {
                weights.putFloat(i, weights.getFloat(i) * 1e7f);
            }
            ch.write(weights.flip(), at);
        }
        int[] tokens = new Random(5).ints(64, 0, 300).toArray();
        try (GgufFile gguf = GgufFile.open(file); Parallel two = new Parallel(2)) {
            TransformerConfig c = TransformerLoader.config(gguf);
            Transformer halves = new Transformer(c, TransformerLoader.weights(gguf, c), two, 512, 64, KvCacheType.F16);
            TransformerState s = halves.newState();
            assertThat(s.nonFiniteHalves).isFalse();
            // prefill widens exactly whatever the state says; the keys of the last layer overflow
            assertThat(halves.append(s, tokens, 0, 63)).as("prefill's tiles").containsOnly(Float.NaN);
            assertThat(s.nonFiniteHalves).isTrue();
            // one more token: finite until its last layer, whose lone query widens the keys in
            // registers 64 at a time (all of them: the cache now spans two whole strips) and
            // must see the infinities there
            assertThat(halves.append(s, tokens, 63, 1)).as("generation's tiles").containsOnly(Float.NaN);
            halves.reset(s);
            assertThat(s.nonFiniteHalves).isFalse();
        }
    }

    @Test
    void namesParse() {
        assertThat(KvCacheType.parse("F16")).isEqualTo(KvCacheType.F16);
        assertThat(KvCacheType.parse("f32")).isEqualTo(KvCacheType.F32);
        assertThatThrownBy(() -> KvCacheType.parse("q8_0")).hasMessageContaining("\"q8_0\"");
    }
}
