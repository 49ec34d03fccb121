package dev.seriatim.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.seriatim.quant.BlockFormat;
import dev.seriatim.quant.BlockFormats;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The blocked prefill product: equal to the product of the dequantized matrix computed in
 * double, for shapes that cut strips, row groups, chunks and column blocks anywhere; the same
 * bits whatever the thread count and however the tokens are split into calls.
 */
class PackedMatmulTest {

    static Stream<Arguments> shapes() {
        List<Arguments> cases = new ArrayList<>();
        String[] types = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"};
        int[][] shapes = {{1, 7, 2}, {17, 3, 1}, {16, 64, 3}, {33, 9, 2}, {70, 131, 2}, {32, 8, 1}, {48, 65, 4}};
        for (int i = 0; i < types.length; i++) {
            for (int[] s : shapes) {
                cases.add(Arguments.of(types[i], s[0], s[1], s[2], 31 * i + s[0]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} tokens={1} rows={2} threads={3}")
    @MethodSource("shapes")
    void equalsTheExactProductAndIgnoresThreadsAndSplits(String typeName, int tokens, int rows, int threads, int seed) {
        GgmlType type = GgmlType.valueOf(typeName);
        Random random = new Random(seed);
        // one partial column block for the 32-value types (KC = 256), several whole ones for K-quants
        int cols = type.blockSize() == 256 ? 512 : 32 * (1 + random.nextInt(12));
        BlockFormat format = BlockFormats.of(type);
        WeightMatrix w = WeightMatrixTest.randomMatrix(random, format, rows, cols);
        float[] x = KernelsTest.gaussian(random, tokens * cols);
        float[] out = new float[tokens * rows];
        try (Parallel p = new Parallel(threads)) {
            w.matmul(x, tokens, out, p);
        }
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            w.row(r, row, 0);
            for (int t = 0; t < tokens; t++) {
                double exact = 0;
                double magnitude = 0;
                for (int p = 0; p < cols; p++) {
                    exact += (double) row[p] * x[t * cols + p];
                    magnitude += Math.abs((double) row[p] * x[t * cols + p]);
                }
                assertThat((double) out[t * rows + r]).as("token %d row %d", t, r)
                        .isCloseTo(exact, within(1e-6 * magnitude));
            }
        }

        float[] serial = new float[tokens * rows];
        w.matmul(x, tokens, serial, Parallel.serial());
        assertThat(serial).as("one thread").containsExactly(out);

        // tokens split into two calls at a random point: every element is its own fma chain
        int cut = random.nextInt(tokens + 1);
        float[] split = new float[tokens * rows];
        float[] head = new float[cut * rows];
        w.matmul(java.util.Arrays.copyOfRange(x, 0, cut * cols), cut, head, Parallel.serial());
        float[] tail = new float[(tokens - cut) * rows];
        w.matmul(java.util.Arrays.copyOfRange(x, cut * cols, tokens * cols), tokens - cut, tail, Parallel.serial());
        System.arraycopy(head, 0, split, 0, head.length);
        System.arraycopy(tail, 0, split, head.length, tail.length);
        assertThat(split).as("split at %d", cut).containsExactly(out);
    }

    @Test
    void sharedInputGivesEachMatrixItsOwnProduct() {
        Random random = new Random(5);
        int cols = 96;
        int tokens = 37;
        WeightMatrix a = WeightMatrixTest.randomMatrix(random, BlockFormats.of(GgmlType.Q8_0), 24, cols);
        WeightMatrix b = WeightMatrixTest.randomMatrix(random, BlockFormats.of(GgmlType.Q4_0), 70, cols);
        float[] x = KernelsTest.gaussian(random, tokens * cols);
        float[] aAlone = new float[tokens * 24];
        float[] bAlone = new float[tokens * 70];
        float[] aShared = new float[tokens * 24];
        float[] bShared = new float[tokens * 70];
        try (Parallel p = new Parallel(2)) {
            a.matmul(x, tokens, aAlone, p);
            b.matmul(x, tokens, bAlone, p);
            WeightMatrix.matmulSharedInput(x, tokens, new WeightMatrix[] {a, b}, new float[][] {aShared, bShared}, p);
        }
        assertThat(aShared).containsExactly(aAlone);
        assertThat(bShared).containsExactly(bAlone);
        WeightMatrix narrow = WeightMatrixTest.randomMatrix(random, BlockFormats.of(GgmlType.F32), 4, 64);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WeightMatrix.matmulSharedInput(x, tokens,
                        new WeightMatrix[] {a, narrow}, new float[][] {aShared, new float[tokens * 4]}, Parallel.serial()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 columns");
    }

    static Stream<Arguments> swigluCases() {
        return Stream.of(
                Arguments.of("Q4_0", "Q4_0", 2, 8, 1),
                Arguments.of("Q8_0", "Q8_0", 17, 64, 2),
                Arguments.of("Q4_K", "Q6_K", 37, 131, 3), // a mixed file: chunks of 128 rows and a partial one
                Arguments.of("F16", "F32", 64, 160, 2),
                Arguments.of("BF16", "Q5_1", 16, 9, 1));
    }

    /**
     * The gated hidden layer written packed is, bit for bit, what the row-major route gives:
     * both products, SwiGLU, then packing (padding tokens zero even over a buffer dirtied by a
     * longer batch); and the down projection reads it as it would the packed row-major layer.
     */
    @ParameterizedTest(name = "{0}/{1} tokens={2} rows={3} threads={4}")
    @MethodSource("swigluCases")
    void swigluHiddenIsPackedExactlyAsTheRowMajorRouteWouldPackIt(String gateType, String upType, int tokens, int rows,
                                                                   int threads) {
        Random random = new Random(tokens * 31L + rows);
        int cols = 256;
        WeightMatrix gate = WeightMatrixTest.randomMatrix(random, BlockFormats.of(GgmlType.valueOf(gateType)), rows, cols);
        WeightMatrix up = WeightMatrixTest.randomMatrix(random, BlockFormats.of(GgmlType.valueOf(upType)), rows, cols);
        float[] x = KernelsTest.gaussian(random, tokens * cols);
        try (Parallel p = new Parallel(threads)) {
            float[] g = new float[tokens * rows];
            float[] u = new float[tokens * rows];
            WeightMatrix.matmulSharedInput(x, tokens, new WeightMatrix[] {gate, up}, new float[][] {g, u}, p);
            Kernels.swiglu(g, u, 0, g.length);
            float[] expected = PackedMatmul.pack(g, tokens, rows, p).clone();

            float[] longer = KernelsTest.gaussian(random, (tokens + 40) * cols);
            WeightMatrix.swiglu(longer, tokens + 40, gate, up, p); // leaves values where this batch pads
            PackedBatch hidden = WeightMatrix.swiglu(x, tokens, gate, up, p);
            assertThat(hidden.tokens()).isEqualTo(tokens);
            assertThat(hidden.cols()).isEqualTo(rows);
            int padded = PackedMatmul.paddedTokens(tokens) * rows;
            assertThat(java.util.Arrays.copyOf(hidden.data(), padded)).containsExactly(java.util.Arrays.copyOf(expected, padded));

            if (rows % 32 == 0) { // the down projection's width must be whole blocks
                WeightMatrix down = WeightMatrixTest.randomMatrix(random, BlockFormats.of(GgmlType.Q8_0), 40, rows);
                float[] viaRows = new float[tokens * 40];
                down.matmul(g, tokens, viaRows, p);
                float[] viaPacked = new float[tokens * 40];
                down.matmul(hidden, viaPacked, p);
                assertThat(viaPacked).containsExactly(viaRows);
            }
        }
        WeightMatrix other = WeightMatrixTest.randomMatrix(random, BlockFormats.of(GgmlType.F32), rows + 1, cols);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WeightMatrix.swiglu(x, tokens, gate, other, Parallel.serial()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(rows + " x " + cols);
    }

    /** Adding a product into the residual in place gives the bits of product, then bias, then add. */
    @ParameterizedTest(name = "{0} tokens={1} bias={2} threads={3}")
    @org.junit.jupiter.params.provider.CsvSource({"Q4_0, 2, false, 1", "Q8_0, 37, true, 2", "Q6_K, 17, true, 3",
            "F16, 64, false, 2"})
    void addingIntoTheResidualEqualsProductThenBiasThenAdd(String typeName, int tokens, boolean withBias, int threads) {
        Random random = new Random(tokens * 7L + threads);
        int rows = 136; // a chunk of 128 and a partial one
        int cols = 256;
        WeightMatrix w = WeightMatrixTest.randomMatrix(random, BlockFormats.of(GgmlType.valueOf(typeName)), rows, cols);
        float[] x = KernelsTest.gaussian(random, tokens * cols);
        float[] residual = KernelsTest.gaussian(random, tokens * rows);
        float[] bias = withBias ? KernelsTest.gaussian(random, rows) : null;
        try (Parallel p = new Parallel(threads)) {
            float[] product = new float[tokens * rows];
            w.matmul(x, tokens, product, p);
            float[] expected = residual.clone();
            for (int t = 0; t < tokens; t++) {
                for (int r = 0; r < rows; r++) {
                    float projected = bias == null ? product[t * rows + r] : product[t * rows + r] + bias[r];
                    expected[t * rows + r] += projected;
                }
            }
            float[] added = residual.clone();
            w.matmulAdding(x, tokens, bias, added, p);
            assertThat(added).containsExactly(expected);

            float[] addedPacked = residual.clone();
            w.matmulAdding(new PackedBatch(PackedMatmul.pack(x, tokens, cols, p), tokens, cols), bias, addedPacked, p);
            assertThat(addedPacked).containsExactly(expected);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.matmulAdding(x, tokens, new float[rows - 1],
                        residual.clone(), Parallel.serial()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the bias has " + (rows - 1));
    }

    @Test
    void stripsAreWholeAndTheLastOneNarrowWhenHalfCoversIt() {
        assertThat(PackedMatmul.paddedTokens(1)).isEqualTo(16);
        assertThat(PackedMatmul.paddedTokens(16)).isEqualTo(16);
        assertThat(PackedMatmul.paddedTokens(17)).isEqualTo(32);
        assertThat(PackedMatmul.paddedTokens(32)).isEqualTo(32);
        assertThat(PackedMatmul.paddedTokens(40)).isEqualTo(48);
        assertThat(PackedMatmul.paddedTokens(60)).isEqualTo(64);
        assertThat(PackedMatmul.stripWidth(40, 0)).isEqualTo(32);
        assertThat(PackedMatmul.stripWidth(40, 32)).isEqualTo(16);
        assertThat(PackedMatmul.stripWidth(60, 32)).isEqualTo(32);
    }

    @Test
    void packingTransposesEachStripAndZeroesThePadding() {
        int tokens = 37;
        int cols = 5;
        float[] x = new float[tokens * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        float[] packed = PackedMatmul.pack(x, tokens, cols, Parallel.serial());
        for (int t = 0; t < 48; t++) {
            int t0 = t < 32 ? 0 : 32;
            int width = t < 32 ? 32 : 16;
            for (int p = 0; p < cols; p++) {
                float expected = t < tokens ? x[t * cols + p] : 0f;
                assertThat(packed[t0 * cols + p * width + (t - t0)]).as("t=%d p=%d", t, p).isEqualTo(expected);
            }
        }
    }
}
