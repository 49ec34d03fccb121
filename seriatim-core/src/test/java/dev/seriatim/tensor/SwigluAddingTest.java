package dev.seriatim.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seriatim.quant.BlockFormat;
import dev.seriatim.quant.BlockFormats;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The SwiGLU feed-forward layer of a batch, made and consumed a slice of the hidden layer at a time. */
class SwigluAddingTest {

    /** A quantized matrix together with its bytes, so that tests can cut row and column ranges out of it. */
    private record Stored(BlockFormat format, MemorySegment data, int rows, int cols) {

        static Stored random(Random random, String type, int rows, int cols) {
            BlockFormat format = BlockFormats.of(GgmlType.valueOf(type));
            long rowBytes = format.rowBytes(cols);
            MemorySegment data = Arena.ofAuto().allocate(rowBytes * rows, 1);
            for (int r = 0; r < rows; r++) {
                format.quantize(KernelsTest.gaussian(random, cols), 0, cols, data, r * rowBytes);
            }
            return new Stored(format, data, rows, cols);
        }

        WeightMatrix matrix() {
            return new WeightMatrix("m", format, data, rows, cols);
        }

        /** Rows [r0, r0 + n) as a matrix of their own. */
        WeightMatrix rows(int r0, int n) {
            long rowBytes = format.rowBytes(cols);
            return new WeightMatrix("rows", format, data.asSlice(r0 * rowBytes, n * rowBytes), n, cols);
        }

        /** Columns [c0, c0 + n) copied out as a matrix of their own. */
        WeightMatrix columns(int c0, int n) {
            long rowBytes = format.rowBytes(cols);
            long from = format.rowBytes(c0);
            long width = format.rowBytes(n);
            MemorySegment copy = Arena.ofAuto().allocate(width * rows, 1);
            for (int r = 0; r < rows; r++) {
                MemorySegment.copy(data, r * rowBytes + from, copy, r * width, width);
            }
            return new WeightMatrix("columns", format, copy, rows, n);
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // gate, up, down, tokens, hidden, slice, threads
                Arguments.of("Q4_0", "Q4_0", "Q8_0", 17, 768, 256, 2),
                Arguments.of("Q4_K", "Q6_K", "Q6_K", 40, 768, 512, 3), // a partial last slice of whole super-blocks
                Arguments.of("F16", "F32", "BF16", 1, 512, 256, 1),
                Arguments.of("Q8_0", "Q5_1", "Q4_0", 33, 640, 256, 2), // a last slice of 128: half a grain
                Arguments.of("Q4_0", "Q8_0", "Q4_K", 64, 512, 512, 2)); // one slice
    }

    /**
     * Slice by slice, the layer adds exactly what the slice's own gate and up rows and down
     * columns give through {@link WeightMatrix#swiglu} and the packed down projection, the
     * bias with the first slice; the sum of the slices stays close to an exact reference.
     */
    @ParameterizedTest(name = "{0}/{1}/{2} tokens={3} hidden={4} slice={5} threads={6}")
    @MethodSource("cases")
    void eachSliceAddsWhatItsOwnRowsAndColumnsGive(String gateType, String upType, String downType, int tokens,
                                                  int hidden, int slice, int threads) {
        Random random = new Random(tokens * 131L + hidden + slice);
        int dim = 256;
        Stored gate = Stored.random(random, gateType, hidden, dim);
        Stored up = Stored.random(random, upType, hidden, dim);
        Stored down = Stored.random(random, downType, dim + 8, hidden); // a chunk of rows and a partial one
        float[] x = KernelsTest.gaussian(random, tokens * dim);
        float[] residual = KernelsTest.gaussian(random, tokens * (dim + 8));
        float[] bias = KernelsTest.gaussian(random, dim + 8);
        try (Parallel p = new Parallel(threads)) {
            float[] expected = residual.clone();
            for (int c0 = 0; c0 < hidden; c0 += slice) {
                int width = Math.min(slice, hidden - c0);
                PackedBatch h = WeightMatrix.swiglu(x, tokens, gate.rows(c0, width), up.rows(c0, width), p);
                down.columns(c0, width).matmulAdding(h, c0 == 0 ? bias : null, expected, p);
            }
            float[] got = residual.clone();
            WeightMatrix.swigluAdding(x, tokens, gate.matrix(), up.matrix(), down.matrix(), bias, got, slice, p);
            assertThat(got).containsExactly(expected);

            double[][] exact = exactFfn(x, tokens, gate.matrix(), up.matrix(), down.matrix(), bias, residual);
            for (int i = 0; i < got.length; i++) {
                // float sums of terms this large carry errors of about 1e-7 of the terms' magnitude per rounding
                assertThat((double) got[i]).as("element %d", i)
                        .isCloseTo(exact[0][i], org.assertj.core.api.Assertions.within(1e-5 * exact[1][i]));
            }
        }
    }

    /** Whatever the slicing, the thread count changes no bit. */
    @Test
    void threadCountChangesNothing() {
        Random random = new Random(7);
        int dim = 256;
        int hidden = 1024;
        int tokens = 50;
        Stored gate = Stored.random(random, "Q4_0", hidden, dim);
        Stored up = Stored.random(random, "Q4_0", hidden, dim);
        Stored down = Stored.random(random, "Q4_0", dim, hidden);
        float[] x = KernelsTest.gaussian(random, tokens * dim);
        float[] residual = KernelsTest.gaussian(random, tokens * dim);
        float[] serial = residual.clone();
        WeightMatrix.swigluAdding(x, tokens, gate.matrix(), up.matrix(), down.matrix(), null, serial, 256,
                Parallel.serial());
        try (Parallel p = new Parallel(3)) {
            float[] three = residual.clone();
            WeightMatrix.swigluAdding(x, tokens, gate.matrix(), up.matrix(), down.matrix(), null, three, 256, p);
            assertThat(three).containsExactly(serial);
        }
    }

    @Test
    void mismatchedShapesAndSlicesOffTheBlocksAreRefused() {
        Random random = new Random(3);
        WeightMatrix gate = Stored.random(random, "Q8_0", 512, 64).matrix();
        WeightMatrix up = Stored.random(random, "Q8_0", 512, 64).matrix();
        WeightMatrix down = Stored.random(random, "Q8_0", 64, 512).matrix();
        WeightMatrix narrowDown = Stored.random(random, "Q8_0", 64, 256).matrix();
        float[] x = new float[2 * 64];
        float[] out = new float[2 * 64];
        Parallel serial = Parallel.serial();
        assertThatThrownBy(() -> WeightMatrix.swigluAdding(x, 2, gate, up, narrowDown, null, out, 512, serial))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256 columns");
        assertThatThrownBy(() -> WeightMatrix.swigluAdding(x, 2, gate, up, down, null, out, 96, serial))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("96 columns");
        assertThatThrownBy(() -> WeightMatrix.swigluAdding(x, 2, gate, up, down, new float[63], out, 512, serial))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the bias has 63");
        assertThatThrownBy(() -> WeightMatrix.swigluAdding(x, 3, gate, up, down, null, out, 512, serial))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    /** Seeded shapes: a slice is the whole layer or whole grains, and never holds more than the budget needs. */
    @Test
    void slicesAreWholeGrainsWithinTheBudget() {
        Random random = new Random(11);
        for (int i = 0; i < 2000; i++) {
            int tokens = 1 + random.nextInt(512);
            int hidden = 32 * (1 + random.nextInt(1024));
            int slice = WeightMatrix.hiddenSliceColumns(tokens, hidden);
            long padded = PackedMatmul.paddedTokens(tokens);
            String what = tokens + " tokens, " + hidden + " hidden";
            if (padded * hidden <= WeightMatrix.HIDDEN_SLICE_FLOATS) {
                assertThat(slice).as(what).isEqualTo(hidden);
            } else {
                assertThat(slice % WeightMatrix.HIDDEN_SLICE_GRAIN).as(what).isZero();
                assertThat(padded * slice <= WeightMatrix.HIDDEN_SLICE_FLOATS || slice == WeightMatrix.HIDDEN_SLICE_GRAIN)
                        .as(what).isTrue();
                // as few slices as the widest whole grains within the budget allow
                long widest = Math.max(256, WeightMatrix.HIDDEN_SLICE_FLOATS / padded / 256 * 256);
                assertThat((hidden + slice - 1) / slice).as(what).isEqualTo((hidden + widest - 1) / widest);
            }
        }
        assertThat(WeightMatrix.hiddenSliceColumns(128, 8192)).isEqualTo(2048); // a 1B-shape layer: 1 MiB, not 4
        assertThat(WeightMatrix.hiddenSliceColumns(128, 2048)).isEqualTo(2048);
        assertThat(WeightMatrix.hiddenSliceColumns(256, 2048)).isEqualTo(1024);
    }

    /**
     * out + down · (silu(gate · x) * (up · x)) + bias in double precision over the dequantized
     * weights, and beside it the sum of the magnitudes of the terms that make each element.
     */
    private static double[][] exactFfn(float[] x, int tokens, WeightMatrix gate, WeightMatrix up, WeightMatrix down,
                                       float[] bias, float[] residual) {
        int dim = gate.cols();
        int hidden = gate.rows();
        float[][] g = dequantized(gate);
        float[][] u = dequantized(up);
        float[][] d = dequantized(down);
        double[] out = new double[tokens * down.rows()];
        double[] magnitude = new double[out.length];
        for (int t = 0; t < tokens; t++) {
            double[] h = new double[hidden];
            double[] hMagnitude = new double[hidden];
            for (int j = 0; j < hidden; j++) {
                double a = 0;
                double b = 0;
                double aAbs = 0;
                double bAbs = 0;
                for (int p = 0; p < dim; p++) {
                    a += (double) g[j][p] * x[t * dim + p];
                    b += (double) u[j][p] * x[t * dim + p];
                    aAbs += Math.abs((double) g[j][p] * x[t * dim + p]);
                    bAbs += Math.abs((double) u[j][p] * x[t * dim + p]);
                }
                h[j] = a / (1 + Math.exp(-a)) * b;
                hMagnitude[j] = Math.abs(h[j]) + aAbs * Math.abs(b) + Math.abs(a) * bAbs;
            }
            for (int r = 0; r < down.rows(); r++) {
                int i = t * down.rows() + r;
                double s = bias[r];
                double m = Math.abs(bias[r]) + Math.abs(residual[i]);
                for (int j = 0; j < hidden; j++) {
                    s += d[r][j] * h[j];
                    m += Math.abs(d[r][j]) * hMagnitude[j];
                }
                out[i] = residual[i] + s;
                magnitude[i] = m;
            }
        }
        return new double[][] {out, magnitude};
    }

    private static float[][] dequantized(WeightMatrix m) {
        float[][] rows = new float[m.rows()][m.cols()];
        for (int r = 0; r < m.rows(); r++) {
            m.row(r, rows[r], 0);
        }
        return rows;
    }
}
