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
    /** Two key strips, or a run of 32 value rows, widened from a cache of halves. */
    private static final ThreadScratch WIDE = new ThreadScratch();
    /** One kv head's keys and values widened from halves, for a batch of queries. */
    private static final ThreadScratch WIDE_KEYS = new ThreadScratch();
    private static final ThreadScratch WIDE_VALUES = new ThreadScratch();
    private static final ThreadScratch SCALED_QUERY = new ThreadScratch();
    private static final ThreadScratch SCALED_PROBABILITIES = new ThreadScratch();
    /** Whether a lone query, or four heads of one kv head, widen halves in registers ({@link VectorHalfTiles}). */
    private static final boolean HALF_TILES = VectorSupport.available() && VectorHalfTiles.USABLE;
    /** Output columns a {@link VectorHalfTiles} value tile takes: four 16-lane vectors. */
    private static final int HALF_TILE_COLUMNS = 64;

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
     * {@link #storeKey} into a cache of halves ({@link Float#floatToFloat16}, rounding to nearest
     * even); false when one of the halves is an infinity or NaN (a key past the largest half).
     */
    public static boolean storeKey(short[] cache, int pos, float[] key, int kOff, int kvDim) {
        int at = (pos - pos % KEY_STRIP) * kvDim + pos % KEY_STRIP;
        int top = 0;
        for (int j = 0; j < kvDim; j++, at += KEY_STRIP) {
            short h = Float.floatToFloat16(key[kOff + j]);
            cache[at] = h;
            top = Math.max(top, h & HalfBits.EXPONENT);
        }
        return top != HalfBits.EXPONENT; // a constant: HalfBits itself is not loaded
    }

    /**
     * Stores value[vOff .. vOff + kvDim) as position {@code pos} of a value cache of halves;
     * false when one of them is an infinity or NaN.
     */
    public static boolean storeValue(short[] cache, int pos, float[] value, int vOff, int kvDim) {
        int at = pos * kvDim;
        int top = 0;
        for (int j = 0; j < kvDim; j++) {
            short h = Float.floatToFloat16(value[vOff + j]);
            cache[at + j] = h;
            top = Math.max(top, h & HalfBits.EXPONENT);
        }
        return top != HalfBits.EXPONENT; // a constant: HalfBits itself is not loaded
    }

    /**
     * {@link #attend} over a cache of halves, laid out as the float one. A lone query, or the four
     * query heads of a kv head, widens the halves in registers ({@link VectorHalfTiles}); a batch
     * whose kv heads serve several tiles widens each kv head once per thread into a float copy;
     * other tiles widen each key strip and each run of 32 value rows into scratch just before it. Either
     * way the result is bit for bit {@code attend} over a float cache holding the same values,
     * while the cache, and what a token reads of it, is half the size.
     *
     * @param finite whether every key and value stored so far is finite ({@link #storeKey} and
     *     {@link #storeValue} say), so the tiles need not look for infinities and NaNs
     */
    public static void attend(float[] q, int qDim, short[] keys, short[] values, boolean finite, int kvDim, int heads,
                              int kvHeads, int headDim, int pos0, int n, float scale, float[] out, Parallel parallel) {
        attend(q, qDim, null, null, keys, values, finite, kvDim, heads, kvHeads, headDim, pos0, n, scale, out,
                parallel);
    }

    /**
     * For the n queries q[i * qDim + h * headDim ..] at positions pos0 + i, with keys (strip
     * layout) and values (rows of kvDim, kv head g at g * headDim) of positions 0 .. pos0 + n
     * already cached, writes each head's attention output to out[i * qDim + h * headDim ..].
     * Query heads share kv heads in consecutive groups of heads / kvHeads.
     *
     * <p>A tile's rows are up to 8 queries of one head, or, for a single query whose heads share
     * kv heads, up to 8 of the heads that share one: each kv head's keys and values are then
     * read once per token instead of once per query head (4 times for a Llama-3.2-1B shape),
     * and every score and output element keeps its chain, so the bits do not change.
     */
    public static void attend(float[] q, int qDim, float[] keys, float[] values, int kvDim, int heads, int kvHeads,
                              int headDim, int pos0, int n, float scale, float[] out, Parallel parallel) {
        attend(q, qDim, keys, values, null, null, true, kvDim, heads, kvHeads, headDim, pos0, n, scale, out, parallel);
    }

    /** Either the float cache (keys, values) or the cache of halves (keyHalves, valueHalves) is given. */
    private static void attend(float[] q, int qDim, float[] keys, float[] values, short[] keyHalves,
                               short[] valueHalves, boolean finite, int kvDim, int heads, int kvHeads, int headDim,
                               int pos0, int n, float scale, float[] out, Parallel parallel) {
        int stride = roundUp(pos0 + n);
        int sharing = heads / kvHeads;
        if (n == 1 && sharing > 1) {
            int parts = (sharing + GROUP - 1) / GROUP;
            parallel.forRange(kvHeads * parts, (start, end) -> {
                float[] scores = SCORES.atLeast(GROUP * stride);
                for (int task = start; task < end; task++) {
                    int g = task / parts;
                    int h0 = g * sharing + (task % parts) * GROUP;
                    int rows = Math.min(GROUP, (g + 1) * sharing - h0);
                    attendRows(rows, q, h0 * headDim, headDim, keys, values, keyHalves, valueHalves, finite, kvDim,
                            g * headDim, headDim, pos0 + 1, 0, scale, out, scores, stride);
                }
            });
            return;
        }
        int groups = (n + GROUP - 1) / GROUP;
        parallel.forRange(heads * groups, (start, end) -> {
            float[] scores = SCORES.atLeast(GROUP * stride);
            // a head seen by one group of queries alone widens tile by tile, in registers where it can
            boolean widenOnce = keyHalves != null && (groups > 1 || sharing > 1);
            float[] wideKeys = widenOnce ? WIDE_KEYS.atLeast(stride * headDim) : null;
            float[] wideValues = widenOnce ? WIDE_VALUES.atLeast(stride * headDim) : null;
            int widened = -1;
            for (int task = start; task < end; task++) {
                // head-major: a thread's consecutive tasks reuse one head's keys and values
                int h = task / groups;
                int i0 = (task % groups) * GROUP;
                int rows = Math.min(GROUP, n - i0);
                int g = h / sharing;
                if (!widenOnce) {
                    attendRows(rows, q, i0 * qDim + h * headDim, qDim, keys, values, keyHalves, valueHalves, finite,
                            kvDim, g * headDim, headDim, pos0 + i0 + 1, 1, scale, out, scores, stride);
                    continue;
                }
                if (g != widened) {
                    widenHead(keyHalves, valueHalves, kvDim, g * headDim, headDim,
                            pos0 + reachOf(g, start, end, sharing, groups, n), wideKeys, wideValues);
                    widened = g;
                }
                attendRows(rows, q, i0 * qDim + h * headDim, qDim, wideKeys, wideValues, null, null, true, headDim, 0,
                        headDim, pos0 + i0 + 1, 1, scale, out, scores, stride);
            }
        });
    }

    /**
     * How many of the batch's queries the tasks in [start, end) of kv head g reach: the most
     * the widened copy of g's keys and values must hold beyond the earlier positions.
     */
    private static int reachOf(int g, int start, int end, int sharing, int groups, int n) {
        int first = Math.max(start, g * sharing * groups);
        int last = Math.min(end, (g + 1) * sharing * groups) - 1;
        if (last / groups > first / groups) {
            return n; // some head's last group is among them
        }
        return Math.min(n, (last % groups + 1) * GROUP);
    }

    /**
     * Widens kv head kvOff's keys and values of positions 0 .. reach - 1 from a cache of halves
     * into floats laid out as a cache of one head (kvDim = headDim). A batch of queries then runs
     * the float tiles over it, widening each half once per thread instead of once per group of 8
     * queries; widening is exact, so the bits are those of a float cache.
     */
    private static void widenHead(short[] keyHalves, short[] valueHalves, int kvDim, int kvOff, int headDim, int reach,
                                  float[] wideKeys, float[] wideValues) {
        int stripFloats = KEY_STRIP * headDim;
        for (int s = 0; s * KEY_STRIP < reach; s++) {
            Kernels.widenHalves(keyHalves, s * KEY_STRIP * kvDim + kvOff * KEY_STRIP, wideKeys, s * stripFloats,
                    stripFloats);
        }
        for (int t = 0; t < reach; t++) {
            Kernels.widenHalves(valueHalves, t * kvDim + kvOff, wideValues, t * headDim, headDim);
        }
    }

    /**
     * One tile of queries against one kv head (values at kvOff of each row, keys at
     * kvOff * KEY_STRIP of each strip): query row r at q[qOff + r * qStride], its output at the
     * same place of out, and keys 0 .. firstVisible + r * visibleStep - 1 visible to it.
     */
    private static void attendRows(int rows, float[] q, int qOff, int qStride, float[] keys, float[] values,
                                   short[] keyHalves, short[] valueHalves, boolean finite, int kvDim, int kvOff,
                                   int headDim, int firstVisible, int visibleStep, float scale, float[] out,
                                   float[] scores, int stride) {
        int reach = firstVisible + (rows - 1) * visibleStep; // keys seen by the last row
        int computed = roundUp(reach);
        for (int r = 0; r < rows; r++) {
            java.util.Arrays.fill(scores, r * stride, r * stride + computed, 0f);
        }
        int strips = computed / KEY_STRIP;
        if (keyHalves == null) {
            PackedMatmul.tileStrips(rows, q, qOff, qStride, keys, kvOff * KEY_STRIP, KEY_STRIP * kvDim, strips, scores,
                    0, stride, headDim);
        } else {
            keyScoresFromHalves(rows, q, qOff, qStride, keyHalves, !finite, kvDim, kvOff, headDim, strips, scores,
                    stride);
        }
        for (int r = 0; r < rows; r++) {
            int visible = firstVisible + r * visibleStep;
            Kernels.scale(scores, r * stride, visible, scale);
            Kernels.softmax(scores, r * stride, visible);
            java.util.Arrays.fill(scores, r * stride + visible, r * stride + reach, 0f);
            java.util.Arrays.fill(out, qOff + r * qStride, qOff + r * qStride + headDim, 0f);
        }
        if (valueHalves == null) {
            PackedMatmul.tile(rows, scores, 0, stride, values, kvOff, kvDim, headDim, out, qOff, qStride, reach);
        } else {
            outputFromHalves(rows, scores, stride, valueHalves, !finite, kvDim, kvOff, headDim, reach, out, qOff,
                    qStride);
        }
    }

    /**
     * The scores over strips of halves: for a lone query, or four heads of one kv head, two strips
     * at a time widened in registers ({@link VectorHalfTiles}); otherwise, or for a pair holding
     * an infinity or NaN, each strip widened into scratch first. The same chains either way.
     */
    private static void keyScoresFromHalves(int rows, float[] q, int qOff, int qStride, short[] keyHalves,
                                            boolean check, int kvDim, int kvOff, int headDim, int strips,
                                            float[] scores, int stride) {
        float[] scaled = (rows == 1 || rows == 4) && HALF_TILES
                ? scaledBy2To112(q, qOff, qStride, rows, headDim, SCALED_QUERY) : null;
        float[] wide = WIDE.atLeast(2 * KEY_STRIP * headDim);
        int stripFloats = KEY_STRIP * headDim;
        for (int s0 = 0; s0 < strips; s0 += 2) {
            int m = Math.min(2, strips - s0);
            int first = s0 * KEY_STRIP * kvDim + kvOff * KEY_STRIP;
            int second = first + KEY_STRIP * kvDim;
            if (m == 2 && scaled != null && (rows == 1
                    ? VectorHalfTiles.queryStripPair(scaled, 0, keyHalves, first, second, scores, s0 * KEY_STRIP,
                            headDim, check)
                    : VectorHalfTiles.queryStripPair4(scaled, 0, headDim, keyHalves, first, second, scores,
                            s0 * KEY_STRIP, stride, headDim, check))) {
                continue;
            }
            for (int j = 0; j < m; j++) {
                Kernels.widenHalves(keyHalves, first + j * KEY_STRIP * kvDim, wide, j * stripFloats, stripFloats);
            }
            PackedMatmul.tileStrips(rows, q, qOff, qStride, wide, 0, stripFloats, m, scores, s0 * KEY_STRIP, stride,
                    headDim);
        }
    }

    /**
     * The output over value rows of halves: for a lone query, or four heads of one kv head, 64
     * columns at a time widened in registers ({@link VectorHalfTiles}); otherwise, or for columns
     * whose values hold an infinity or NaN, runs of 32 rows widened into scratch, each tile
     * continuing the chains of the one before, so the output accumulates over the keys in order
     * either way.
     */
    private static void outputFromHalves(int rows, float[] scores, int stride, short[] valueHalves, boolean check,
                                         int kvDim, int kvOff, int headDim, int reach, float[] out, int qOff,
                                         int qStride) {
        float[] scaled = (rows == 1 || rows == 4) && HALF_TILES
                ? scaledBy2To112(scores, 0, stride, rows, reach, SCALED_PROBABILITIES) : null;
        float[] wide = WIDE.atLeast(2 * KEY_STRIP * headDim);
        for (int col = 0; col < headDim; col += HALF_TILE_COLUMNS) {
            int width = Math.min(HALF_TILE_COLUMNS, headDim - col);
            if (width == HALF_TILE_COLUMNS && scaled != null && (rows == 1
                    ? VectorHalfTiles.queryValues(scaled, 0, valueHalves, kvOff + col, kvDim, out, qOff + col, reach,
                            check)
                    : VectorHalfTiles.queryValues4(scaled, 0, reach, valueHalves, kvOff + col, kvDim, out, qOff + col,
                            qStride, reach, check))) {
                continue;
            }
            for (int t0 = 0; t0 < reach; t0 += KEY_STRIP) {
                int m = Math.min(KEY_STRIP, reach - t0);
                for (int t = 0; t < m; t++) {
                    Kernels.widenHalves(valueHalves, (t0 + t) * kvDim + kvOff + col, wide, t * width, width);
                }
                PackedMatmul.tile(rows, scores, t0, stride, wide, 0, width, width, out, qOff + col, qStride, m);
            }
        }
    }

    /**
     * The n values of each of {@code rows} rows of x (row r at off + r * rowStride) times 2^112,
     * row r at r * n of this thread's scratch; null when one of them is 2^16 or more in magnitude
     * (or not finite), where the product would overflow and the widening in registers cannot
     * stand in for the floats.
     */
    private static float[] scaledBy2To112(float[] x, int off, int rowStride, int rows, int n, ThreadScratch scratch) {
        float[] scaled = scratch.atLeast(rows * n);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                float v = x[off + r * rowStride + i];
                if (!(Math.abs(v) < 0x1p16f)) {
                    return null;
                }
                scaled[r * n + i] = v * 0x1p112f;
            }
        }
        return scaled;
    }

    private static int roundUp(int positions) {
        return (positions + KEY_STRIP - 1) / KEY_STRIP * KEY_STRIP;
    }
}
