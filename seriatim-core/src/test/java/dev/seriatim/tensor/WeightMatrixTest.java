package dev.seriatim.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seriatim.quant.BlockFormat;
import dev.seriatim.quant.BlockFormats;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WeightMatrixTest {

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void matvecIsRowDotXAndIndependentOfThreadCount(GgmlType type) {
        Random random = new Random(type.ordinal());
        int rows = 37;
        int cols = type.blockSize() == 256 ? 512 : 32 * 6;
        BlockFormat format = BlockFormats.of(type);
        WeightMatrix w = randomMatrix(random, format, rows, cols);
        float[] x = KernelsTest.gaussian(random, cols + 3);
        float[] reference = null;
        for (int threads = 1; threads <= 4; threads++) {
            float[] out = new float[rows + 2];
            try (Parallel p = new Parallel(threads)) {
                w.matvec(x, 3, out, 2, p);
            }
            if (reference == null) {
                reference = out;
                float[] row = new float[cols];
                for (int r = 0; r < rows; r++) {
                    w.row(r, row, 0);
                    double expected = 0;
                    double magnitude = 0;
                    for (int c = 0; c < cols; c++) {
                        expected += (double) row[c] * x[3 + c];
                        magnitude += Math.abs((double) row[c] * x[3 + c]);
                    }
                    assertThat((double) out[2 + r]).isCloseTo(expected, within(1e-5 * magnitude + 1e-30));
                }
            } else {
                assertThat(out).as("threads=%d", threads).containsExactly(reference);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void matmulEqualsMatvecPerToken(GgmlType type) {
        Random random = new Random(100 + type.ordinal());
        int rows = 29; // not a multiple of the row group or the thread count
        int cols = type.blockSize() == 256 ? 768 : 32 * 5;
        int tokens = 7;
        WeightMatrix w = randomMatrix(random, BlockFormats.of(type), rows, cols);
        float[] x = KernelsTest.gaussian(random, tokens * cols);
        float[] reference = null;
        for (int threads = 1; threads <= 4; threads++) {
            float[] out = new float[tokens * rows];
            try (Parallel p = new Parallel(threads)) {
                w.matmul(x, tokens, out, p);
                float[] single = new float[rows];
                for (int t = 0; t < tokens; t++) {
                    w.matvec(x, t * cols, single, 0, p);
                    for (int r = 0; r < rows; r++) {
                        assertThat(out[t * rows + r]).as("token %d row %d", t, r)
                                .isCloseTo(single[r], within(1e-4f * Math.max(1f, Math.abs(single[r]))));
                    }
                }
            }
            if (reference == null) {
                reference = out;
            } else {
                assertThat(out).as("threads=%d", threads).containsExactly(reference);
            }
        }
    }

    /** Several matrices in one parallel call give each the bits its own matvec gives, for any thread count. */
    @Test
    void sharedInputMatvecGivesEachMatrixItsOwnProduct() {
        Random random = new Random(21);
        int cols = 256;
        WeightMatrix[] matrices = {
                randomMatrix(random, BlockFormats.of(GgmlType.Q4_0), 200, cols),
                randomMatrix(random, BlockFormats.of(GgmlType.Q8_0), 17, cols),
                randomMatrix(random, BlockFormats.of(GgmlType.Q6_K), 64, cols),
                randomMatrix(random, BlockFormats.of(GgmlType.F16), 300, cols)};
        float[] x = KernelsTest.gaussian(random, cols + 5);
        for (int threads : new int[] {1, 2, 3}) {
            try (Parallel p = new Parallel(threads)) {
                float[][] shared = new float[matrices.length][];
                for (int i = 0; i < matrices.length; i++) {
                    shared[i] = new float[matrices[i].rows()];
                }
                WeightMatrix.matvecSharedInput(x, 5, matrices, shared, p);
                for (int i = 0; i < matrices.length; i++) {
                    float[] alone = new float[matrices[i].rows()];
                    matrices[i].matvec(x, 5, alone, 0, Parallel.serial());
                    assertThat(shared[i]).as("matrix %d, %d threads", i, threads).containsExactly(alone);
                }
            }
        }
        WeightMatrix narrow = randomMatrix(random, BlockFormats.of(GgmlType.F32), 4, 64);
        assertThatThrownBy(() -> WeightMatrix.matvecSharedInput(x, 0, new WeightMatrix[] {matrices[0], narrow},
                new float[][] {new float[200], new float[4]}, Parallel.serial())).hasMessageContaining("64 columns");
        assertThatThrownBy(() -> WeightMatrix.matvecSharedInput(x, 0, matrices, new float[1][], Parallel.serial()))
                .hasMessageContaining("4 matrices but 1 outputs");
    }

    /**
     * A few tokens through the matrix-vector kernels, fewer than BlockFormat.PAIRS_FROM_TOKENS and
     * an odd number past it: each token's row holds the bits of its own matvec.
     */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void matvecTokensGivesEachTokenItsOwnMatvec(GgmlType type) {
        Random random = new Random(200 + type.ordinal());
        int rows = 45; // pieces of 16 rows and a short last one
        int cols = type.blockSize() == 256 ? 512 : 32 * 5;
        WeightMatrix w = randomMatrix(random, BlockFormats.of(type), rows, cols);
        WeightMatrix other = randomMatrix(random, BlockFormats.of(type), 20, cols);
        assertThat(BlockFormat.PAIRS_FROM_TOKENS).isBetween(4, 9);
        for (int tokens : new int[] {3, 9}) {
            float[] x = KernelsTest.gaussian(random, tokens * cols);
            for (int threads : new int[] {1, 3}) {
                try (Parallel p = new Parallel(threads)) {
                    float[] out = new float[tokens * rows];
                    w.matvecTokens(x, tokens, out, p);
                    float[][] shared = {new float[tokens * rows], new float[tokens * 20]};
                    WeightMatrix.matvecSharedInputTokens(x, tokens, new WeightMatrix[] {w, other}, shared, p);
                    for (int t = 0; t < tokens; t++) {
                        float[] alone = new float[rows];
                        w.matvec(x, t * cols, alone, 0, Parallel.serial());
                        float[] otherAlone = new float[20];
                        other.matvec(x, t * cols, otherAlone, 0, Parallel.serial());
                        assertThat(Arrays.copyOfRange(out, t * rows, (t + 1) * rows))
                                .as("%d tokens: token %d, %d threads", tokens, t, threads).containsExactly(alone);
                        assertThat(Arrays.copyOfRange(shared[0], t * rows, (t + 1) * rows)).containsExactly(alone);
                        assertThat(Arrays.copyOfRange(shared[1], t * 20, (t + 1) * 20)).containsExactly(otherAlone);
                    }
                }
            }
        }
        assertThatThrownBy(() -> w.matvecTokens(new float[2 * cols], 2, new float[2 * rows - 1], Parallel.serial()))
                .hasMessageContaining("out needs " + 2 * rows);
    }

    /**
     * F16 matrices take a faster dot once their first product has found no infinity or NaN: a
     * matrix holding one must keep giving the exact per-row results on every later product, alone
     * or beside finite matrices, and a finite one the bits of its first product.
     */
    @Test
    void halvesWithAnInfinityOrNaNStayExactAfterTheFirstProduct() {
        Random random = new Random(33);
        int cols = 256;
        BlockFormat f16 = BlockFormats.of(GgmlType.F16);
        for (short special : new short[] {(short) 0x7C00, (short) 0xFC00, (short) 0x7E00}) {
            MemorySegment finiteData = randomRows(random, f16, 80, cols);
            MemorySegment markedData = randomRows(random, f16, 80, cols);
            markedData.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED,
                    random.nextInt(80) * f16.rowBytes(cols) + 2L * random.nextInt(cols), special);
            WeightMatrix finite = new WeightMatrix("finite", f16, finiteData, 80, cols);
            WeightMatrix marked = new WeightMatrix("marked", f16, markedData, 80, cols);
            float[] x = KernelsTest.gaussian(random, cols);
            float[][] expected = {perRow(f16, finiteData, 80, cols, x), perRow(f16, markedData, 80, cols, x)};
            try (Parallel p = new Parallel(2)) {
                for (int call = 0; call < 3; call++) {
                    float[][] out = {new float[80], new float[80]};
                    if (call == 1) {
                        WeightMatrix.matvecSharedInput(x, 0, new WeightMatrix[] {finite, marked}, out, p);
                    } else {
                        finite.matvec(x, 0, out[0], 0, p);
                        marked.matvec(x, 0, out[1], 0, p);
                    }
                    for (int m = 0; m < 2; m++) {
                        for (int r = 0; r < 80; r++) {
                            assertThat(Float.floatToIntBits(out[m][r])).as("special %04x call %d matrix %d row %d",
                                    special, call, m, r).isEqualTo(Float.floatToIntBits(expected[m][r]));
                        }
                    }
                }
            }
        }
    }

    /** Each row's dot with x through the format's plain dot. */
    private static float[] perRow(BlockFormat format, MemorySegment data, int rows, int cols, float[] x) {
        float[] out = new float[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = format.dot(data, r * format.rowBytes(cols), x, 0, cols);
        }
        return out;
    }

    @Test
    void matvecPiecesAreWholeMultiplesOf16AboutFourPerThread() {
        assertThat(WeightMatrix.pieceRows(2048, 2)).isEqualTo(256);
        assertThat(WeightMatrix.pieceRows(128_256, 2)).isEqualTo(16_032);
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            int rows = 1 + random.nextInt(i % 5 == 0 ? 100 : 200_000);
            int threads = 1 + random.nextInt(16);
            int piece = WeightMatrix.pieceRows(rows, threads);
            int pieces = (rows + piece - 1) / piece;
            assertThat(piece % 16).as("rows=%d threads=%d", rows, threads).isZero();
            assertThat(piece).isGreaterThanOrEqualTo(16);
            assertThat(pieces).as("rows=%d threads=%d", rows, threads).isLessThanOrEqualTo(4 * threads);
            if (rows >= 4 * threads * 16) { // otherwise the 16-row floor decides
                assertThat(pieces).as("rows=%d threads=%d", rows, threads).isGreaterThan(2 * threads);
            }
        }
    }

    @Test
    void rowDecodesOneRow() {
        float[] values = new float[3 * 32];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        BlockFormat f32 = BlockFormats.of(GgmlType.F32);
        MemorySegment data = MemorySegment.ofArray(new byte[values.length * 4]);
        f32.quantize(values, 0, values.length, data, 0);
        WeightMatrix w = new WeightMatrix("token_embd.weight", f32, data, 3, 32);
        float[] out = new float[33];
        w.row(2, out, 1);
        assertThat(out[1]).isEqualTo(64f);
        assertThat(out[32]).isEqualTo(95f);
        assertThat(w.name()).isEqualTo("token_embd.weight");
        assertThat(w.rows()).isEqualTo(3);
        assertThat(w.cols()).isEqualTo(32);
        assertThat(w.format()).isSameAs(f32);
        assertThatThrownBy(() -> w.row(3, out, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void rejectsBadShapesNamingTheTensor() {
        BlockFormat q8 = BlockFormats.of(GgmlType.Q8_0);
        MemorySegment small = MemorySegment.ofArray(new byte[34 * 3]);
        assertThatThrownBy(() -> new WeightMatrix("blk.0.ffn_up.weight", q8, small, 2, 64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blk.0.ffn_up.weight")
                .hasMessageContaining("136 bytes");
        assertThatThrownBy(() -> new WeightMatrix("blk.0.attn_q.weight", q8, small, 1, 48))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blk.0.attn_q.weight")
                .hasMessageContaining("block size 32");
        assertThat(new WeightMatrix("ok", q8, small, 3, 32).rows()).isEqualTo(3);
    }

    static WeightMatrix randomMatrix(Random random, BlockFormat format, int rows, int cols) {
        return new WeightMatrix("test", format, randomRows(random, format, rows, cols), rows, cols);
    }

    private static MemorySegment randomRows(Random random, BlockFormat format, int rows, int cols) {
        long rowBytes = format.rowBytes(cols);
        MemorySegment data = Arena.ofAuto().allocate(rowBytes * rows, 1);
        for (int r = 0; r < rows; r++) {
            format.quantize(KernelsTest.gaussian(random, cols), 0, cols, data, r * rowBytes);
        }
        return data;
    }
}
