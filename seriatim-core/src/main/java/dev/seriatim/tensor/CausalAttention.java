package dev.seriatim.tensor;

/**
 * Causal attention of one or more queries over a KV cache, as two matrix products per head and
 * group of up to 8 queries on the register tiles of {@link PackedMatmul}: scores = Q K^T over
 * the keys the group can see, a scaled softmax per query, then out = P V.
 *
 * <p>Keys are cached in strips of {@link #KEY_STRIP} positions, each strip transposed
 * ([kvDim][32]: the strip of positions t0 .. t0 + 31 holds key t's value j at
 * {@code t0 * kvDim + j * 32 + (t - t0)}), which is the layout the tiles read contiguously, so
 * scores need no per-call packing and no dot is ever reduced across lanes. Values stay in rows
 * of kvDim, since a value row is already contiguous along the output.
 *
 * <p>Every score is one fused multiply-add chain over the head dimension, every output element
 * one chain over the keys in order, whether a query comes alone (generation) or in a batch
 * (prefill): within a group, a query's probabilities past its last visible key are zero, and
 * adding zero products changes no sum. So a token's result does not depend on how the prompt
 * was split into batches, which a chat that prefills only the new turn relies on.
 */
public final class CausalAttention {

    /** Positions per strip of the key cache: two 16-lane vectors. */
    public static final int KEY_STRIP = PackedMatmul.STRIP;

    private static final int GROUP = PackedMatmul.GROUP;
    private static final ThreadScratch SCORES = new ThreadScratch();

    private CausalAttention() {}

    /** Floats a key cache for {@code positions} positions takes: whole strips. */
    public static long keyCacheLength(int positions, int kvDim) {
        return (long) roundUp(positions) * kvDim;
    }

    /** Stores key[kOff .. kOff + kvDim) as position {@code pos} of the strip-laid key cache. */
    public static void storeKey(float[] cache, int pos, float[] key, int kOff, int kvDim) {
        int at = (pos - pos % KEY_STRIP) * kvDim + pos % KEY_STRIP;
        for (int j = 0; j < kvDim; j++, at += KEY_STRIP) {
            cache[at] = key[kOff + j];
        }
    }

    /**
     * For the n queries q[i * qDim + h * headDim ..] at positions pos0 + i, with keys (strip
     * layout) and values (rows of kvDim, kv head g at g * headDim) of positions 0 .. pos0 + n
     * already cached, writes each head's attention output to out[i * qDim + h * headDim ..].
     * Query heads share kv heads in consecutive groups of heads / kvHeads.
     */
    public static void attend(float[] q, int qDim, float[] keys, float[] values, int kvDim, int heads, int kvHeads,
                              int headDim, int pos0, int n, float scale, float[] out, Parallel parallel) {
        int stride = roundUp(pos0 + n);
        int groups = (n + GROUP - 1) / GROUP;
        int sharing = heads / kvHeads;
        parallel.forRange(heads * groups, (start, end) -> {
            float[] scores = SCORES.atLeast(GROUP * stride);
            for (int task = start; task < end; task++) {
                // head-major: a thread's consecutive tasks reuse one head's keys and values
                int h = task / groups;
                int i0 = (task % groups) * GROUP;
                int rows = Math.min(GROUP, n - i0);
                int kvOff = (h / sharing) * headDim;
                int reach = pos0 + i0 + rows; // keys seen by the group's last query
                int qOff = i0 * qDim + h * headDim;
                int computed = roundUp(reach);
                for (int r = 0; r < rows; r++) {
                    java.util.Arrays.fill(scores, r * stride, r * stride + computed, 0f);
                }
                PackedMatmul.tileStrips(rows, q, qOff, qDim, keys, kvOff * KEY_STRIP, KEY_STRIP * kvDim,
                        computed / KEY_STRIP, scores, 0, stride, headDim);
                for (int r = 0; r < rows; r++) {
                    int visible = pos0 + i0 + r + 1;
                    Kernels.scale(scores, r * stride, visible, scale);
                    Kernels.softmax(scores, r * stride, visible);
                    java.util.Arrays.fill(scores, r * stride + visible, r * stride + reach, 0f);
                    java.util.Arrays.fill(out, qOff + r * qDim, qOff + r * qDim + headDim, 0f);
                }
                PackedMatmul.tile(rows, scores, 0, stride, values, kvOff, kvDim, headDim, out, qOff, qDim, reach);
            }
        });
    }

    private static int roundUp(int positions) {
        return (positions + KEY_STRIP - 1) / KEY_STRIP * KEY_STRIP;
    }
}
