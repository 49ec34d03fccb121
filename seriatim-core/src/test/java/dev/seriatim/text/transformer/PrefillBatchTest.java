package dev.seriatim.text.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** How many tokens a prefill batch takes, and what its buffers cost per token. */
class PrefillBatchTest {

    private static TransformerConfig shape(Architecture a, int dim, int heads, int kvHeads, int ffn) {
        int headDim = dim / heads;
        boolean rope = a.rope() != Architecture.Rope.NONE;
        return new TransformerConfig(a, dim, 16, heads, kvHeads, headDim, ffn, 32000, 4096, 1e-5f, 10000f,
                rope ? headDim : 0, 1f, a == Architecture.GPT2);
    }

    private static final TransformerConfig LLAMA_1B = shape(Architecture.LLAMA, 2048, 32, 8, 8192);
    private static final TransformerConfig STORIES_110M = shape(Architecture.LLAMA, 768, 12, 12, 2048);
    private static final TransformerConfig LLAMA_8B = shape(Architecture.LLAMA, 4096, 32, 8, 14336);

    /** The per-token figure counts exactly the batch buffers the state allocates, plus one packed input. */
    @ParameterizedTest
    @EnumSource(Architecture.class)
    void perTokenFloatsAreWhatTheStateAllocates(Architecture a) {
        TransformerConfig c = TinyModels.config(a, 300);
        int n = 24;
        TransformerState s = new TransformerState(c, 96, 32, KvCacheType.F32);
        s.reserveRows(n);
        long batchBuffers = s.x.length + s.xb.length + s.q.length + s.k.length + s.v.length + s.qkv.length
                + (a.ffn() == Architecture.Ffn.GELU ? s.hb.length : 0);
        long widestPackedInput = Math.max(Math.max(c.dim(), c.qDim()), a.ffn() == Architecture.Ffn.GELU ? c.ffnDim() : 0);
        assertThat(TransformerState.floatsPerBatchToken(c) * n).isEqualTo(batchBuffers + widestPackedInput * n);
    }

    @Test
    void largeModelsOfFewBytesTakeSmallerBatches() {
        // Q4_0 Llama-3.2-1B: 256 tokens would keep 9 MiB, over 1% of its 695 MB
        assertThat(Transformer.defaultBatch(LLAMA_1B, 695_108_736L)).isEqualTo(128);
        // the same shape in F16 has room for the full batch
        assertThat(Transformer.defaultBatch(LLAMA_1B, 2_471_000_000L)).isEqualTo(Transformer.MAX_BATCH);
        // a small model stays within the floor whatever its format
        assertThat(Transformer.defaultBatch(STORIES_110M, 60_000_000L)).isEqualTo(Transformer.MAX_BATCH);
        assertThat(Transformer.defaultBatch(LLAMA_8B, 4_600_000_000L)).isEqualTo(Transformer.MAX_BATCH);
    }

    /** Seeded shapes and sizes: the batch is the largest halving of the maximum within the budget. */
    @Test
    void theBatchIsTheLargestWithinTheBudget() {
        Random random = new Random(5);
        for (int i = 0; i < 500; i++) {
            int heads = 1 << (1 + random.nextInt(6));
            int headDim = 16 << random.nextInt(4);
            int kvHeads = Math.max(1, heads >> random.nextInt(3));
            Architecture a = Architecture.values()[random.nextInt(Architecture.values().length)];
            TransformerConfig c = shape(a, heads * headDim, heads, a == Architecture.GPT2 ? heads : kvHeads,
                    256 * (1 + random.nextInt(64)));
            long weightBytes = (long) (Math.exp(random.nextDouble() * Math.log(2e10)));
            int batch = Transformer.defaultBatch(c, weightBytes);
            long budget = Math.max(Transformer.BATCH_BUFFER_BYTES, weightBytes / 100);
            long perToken = TransformerState.floatsPerBatchToken(c) * Float.BYTES;
            String what = c + ", " + weightBytes + " bytes";
            assertThat(Integer.bitCount(batch)).as(what).isEqualTo(1);
            assertThat(batch).as(what).isBetween(Transformer.MIN_BATCH, Transformer.MAX_BATCH);
            assertThat(batch == Transformer.MIN_BATCH || batch * perToken <= budget).as(what).isTrue();
            assertThat(batch == Transformer.MAX_BATCH || 2L * batch * perToken > budget).as(what).isTrue();
        }
    }
}
