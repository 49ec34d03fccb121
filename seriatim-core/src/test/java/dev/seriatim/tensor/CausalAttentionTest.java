package dev.seriatim.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Causal attention over the strip-laid key cache: equal to softmax(q k / scale) v computed in
 * double, and bit for bit the same whether the queries come in one batch, one at a time or in
 * any split, on any number of threads.
 */
class CausalAttentionTest {

    static Stream<Integer> seeds() {
        return IntStream.range(0, 24).boxed();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void matchesTheFormulaAndIgnoresHowQueriesAreBatched(int seed) {
        Random random = new Random(seed);
        int[] headDims = {8, 16, 20, 64, 48};
        int headDim = headDims[seed % headDims.length];
        int kvHeads = 1 + random.nextInt(3);
        int heads = kvHeads * (1 + random.nextInt(3));
        int pos0 = random.nextInt(3) == 0 ? 0 : random.nextInt(80);
        int n = 1 + random.nextInt(seed % 2 == 0 ? 40 : 9);
        int total = pos0 + n;
        int qDim = heads * headDim;
        int kvDim = kvHeads * headDim;
        float scale = (float) (1 / Math.sqrt(headDim));
        float[] q = KernelsTest.gaussian(random, n * qDim);
        float[] keyRows = KernelsTest.gaussian(random, total * kvDim);
        float[] values = KernelsTest.gaussian(random, total * kvDim);
        float[] keys = new float[(int) CausalAttention.keyCacheLength(total, kvDim)];
        for (int t = 0; t < total; t++) {
            CausalAttention.storeKey(keys, t, keyRows, t * kvDim, kvDim);
        }

        float[] batched = new float[n * qDim];
        try (Parallel p = new Parallel(1 + seed % 3)) {
            CausalAttention.attend(q, qDim, keys, values, kvDim, heads, kvHeads, headDim, pos0, n, scale, batched, p);
        }

        for (int i = 0; i < n; i++) {
            for (int h = 0; h < heads; h++) {
                int kv = h / (heads / kvHeads);
                int visible = pos0 + i + 1;
                double[] weights = new double[visible];
                double max = Double.NEGATIVE_INFINITY;
                for (int t = 0; t < visible; t++) {
                    double s = 0;
                    for (int d = 0; d < headDim; d++) {
                        s += (double) q[i * qDim + h * headDim + d] * keyRows[t * kvDim + kv * headDim + d];
                    }
                    weights[t] = s * scale;
                    max = Math.max(max, weights[t]);
                }
                double sum = 0;
                for (int t = 0; t < visible; t++) {
                    weights[t] = Math.exp(weights[t] - max);
                    sum += weights[t];
                }
                for (int d = 0; d < headDim; d++) {
                    double o = 0;
                    for (int t = 0; t < visible; t++) {
                        o += weights[t] / sum * values[t * kvDim + kv * headDim + d];
                    }
                    assertThat((double) batched[i * qDim + h * headDim + d]).as("query %d head %d dim %d", i, h, d)
                            .isCloseTo(o, within(2e-5));
                }
            }
        }

        // the same queries one call at a time, and in two calls cut at a random point
        float[] single = new float[n * qDim];
        for (int i = 0; i < n; i++) {
            float[] one = new float[qDim];
            CausalAttention.attend(java.util.Arrays.copyOfRange(q, i * qDim, (i + 1) * qDim), qDim, keys, values, kvDim,
                    heads, kvHeads, headDim, pos0 + i, 1, scale, one, Parallel.serial());
            System.arraycopy(one, 0, single, i * qDim, qDim);
        }
        assertThat(single).as("one query per call").containsExactly(batched);
        int cut = random.nextInt(n + 1);
        float[] split = new float[n * qDim];
        float[] first = new float[cut * qDim];
        CausalAttention.attend(java.util.Arrays.copyOfRange(q, 0, cut * qDim), qDim, keys, values, kvDim, heads,
                kvHeads, headDim, pos0, cut, scale, first, Parallel.serial());
        float[] second = new float[(n - cut) * qDim];
        CausalAttention.attend(java.util.Arrays.copyOfRange(q, cut * qDim, n * qDim), qDim, keys, values, kvDim, heads,
                kvHeads, headDim, pos0 + cut, n - cut, scale, second, Parallel.serial());
        System.arraycopy(first, 0, split, 0, first.length);
        System.arraycopy(second, 0, split, first.length, second.length);
        assertThat(split).as("split at %d", cut).containsExactly(batched);
    }

    @Test
    void keysAreStoredTransposedInStripsOf32() {
        int kvDim = 3;
        float[] cache = new float[(int) CausalAttention.keyCacheLength(40, kvDim)];
        assertThat(cache).hasSize(64 * kvDim);
        CausalAttention.storeKey(cache, 33, new float[] {9, 7, 5, 1}, 1, kvDim);
        assertThat(cache[32 * kvDim + 0 * 32 + 1]).isEqualTo(7f);
        assertThat(cache[32 * kvDim + 1 * 32 + 1]).isEqualTo(5f);
        assertThat(cache[32 * kvDim + 2 * 32 + 1]).isEqualTo(1f);
    }

    /** A cache of halves gives, bit for bit, what a float cache holding the same values gives. */
    @ParameterizedTest
    @MethodSource("seeds")
    void aCacheOfHalvesEqualsAFloatCacheOfTheSameValues(int seed) {
        Random random = new Random(500 + seed);
        int[] headDims = {8, 16, 20, 64, 48};
        int headDim = headDims[seed % headDims.length];
        int kvHeads = 1 + random.nextInt(3);
        int heads = kvHeads * (1 + random.nextInt(4)); // four heads a kv head: the four-row tiles
        int pos0 = random.nextInt(3) == 0 ? 0 : random.nextInt(140);
        int n = seed % 2 == 0 ? 1 : 1 + random.nextInt(40);
        // past the largest half: infinities in the cache, widened exactly all the same
        int special = seed % 4 == 2 ? 3 : 0;
        halvesAgainstFloats(random, headDim, kvHeads, heads, pos0, n, special);
    }

    /**
     * The tiles that widen in registers, one query over one or four heads a kv head with heads of
     * 64, with an infinity among the keys, the values, both or neither: every one must look for
     * them exactly when the cache may hold one.
     */
    @ParameterizedTest(name = "{0} heads a kv head, infinities {1}")
    @CsvSource({"1, 0", "1, 1", "1, 2", "4, 0", "4, 1", "4, 2", "4, 3"})
    void tilesInRegistersLookForInfinitiesWhenTheCacheMayHoldThem(int sharing, int special) {
        Random random = new Random(900 + 10 * sharing + special);
        halvesAgainstFloats(random, 64, 2, 2 * sharing, 40 + random.nextInt(100), 1, special);
    }

    /**
     * Attention over halves against attention over floats holding the rounded values; special
     * says where an infinity goes: 0 nowhere, 1 a key, 2 a value, 3 both.
     */
    private static void halvesAgainstFloats(Random random, int headDim, int kvHeads, int heads, int pos0, int n,
                                            int special) {
        int total = pos0 + n;
        int qDim = heads * headDim;
        int kvDim = kvHeads * headDim;
        float scale = (float) (1 / Math.sqrt(headDim));
        float[] q = KernelsTest.gaussian(random, n * qDim);
        float[] keyRows = KernelsTest.gaussian(random, total * kvDim);
        float[] valueRows = KernelsTest.gaussian(random, total * kvDim);
        if ((special & 1) != 0) {
            keyRows[random.nextInt(keyRows.length)] = 1e5f;
        }
        if ((special & 2) != 0) {
            valueRows[random.nextInt(valueRows.length)] = -1e5f;
        }
        short[] keyHalves = new short[(int) CausalAttention.keyCacheLength(total, kvDim)];
        short[] valueHalves = new short[total * kvDim];
        float[] keys = new float[keyHalves.length];
        float[] values = new float[valueHalves.length];
        float[] rounded = new float[kvDim];
        boolean finite = true;
        for (int t = 0; t < total; t++) {
            finite &= CausalAttention.storeKey(keyHalves, t, keyRows, t * kvDim, kvDim);
            finite &= CausalAttention.storeValue(valueHalves, t, valueRows, t * kvDim, kvDim);
            for (int j = 0; j < kvDim; j++) {
                rounded[j] = Float.float16ToFloat(Float.floatToFloat16(keyRows[t * kvDim + j]));
            }
            CausalAttention.storeKey(keys, t, rounded, 0, kvDim);
            for (int j = 0; j < kvDim; j++) {
                values[t * kvDim + j] = Float.float16ToFloat(Float.floatToFloat16(valueRows[t * kvDim + j]));
            }
        }
        float[] fromFloats = new float[n * qDim];
        float[] fromHalves = new float[n * qDim];
        try (Parallel p = new Parallel(1 + random.nextInt(3))) {
            CausalAttention.attend(q, qDim, keys, values, kvDim, heads, kvHeads, headDim, pos0, n, scale, fromFloats, p);
            CausalAttention.attend(q, qDim, keyHalves, valueHalves, finite, kvDim, heads, kvHeads, headDim, pos0, n,
                    scale, fromHalves, p);
        }
        assertThat(finite).as("the stores say whether they met an infinity").isEqualTo(special == 0);
        assertThat(fromHalves).containsExactly(fromFloats);
    }
}
