package dev.seriatim.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.seriatim.tensor.VectorSupport;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The F16 vector dot widens halves in registers by a shortcut that is exact for finite halves
 * only; these check it on every finite bit pattern and check the fallback for infinities and NaNs.
 */
class F16VectorDotTest {

    /** Four vectors, one more vector and a scalar tail at any width up to 16 lanes: all three loops. */
    private static final int ROW = 64 + 16 + 3;

    private final F16VectorFormat vector = new F16VectorFormat();
    private final F16Format scalar = new F16Format();

    @BeforeEach
    void needsTheVectorApi() {
        assumeThat(VectorSupport.available()).isTrue();
    }

    @Test
    void everyFiniteHalfWidensExactly() {
        int[] finite = IntStream.range(0, 1 << 16).filter(h -> (h & 0x7C00) != 0x7C00).toArray();
        byte[] bytes = new byte[2 * ROW];
        MemorySegment row = MemorySegment.ofArray(bytes);
        float[] x = new float[ROW];
        for (int start = 0; start < finite.length; start += ROW) {
            for (int i = 0; i < ROW; i++) {
                short h = (short) finite[(start + i) % finite.length];
                row.set(LittleEndian.SHORT, 2L * i, h);
            }
            for (int j = 0; j < ROW; j++) { // x one-hot at j: the dot is row[j] itself, exactly
                x[j] = 1f;
                float expected = Float.float16ToFloat(row.get(LittleEndian.SHORT, 2L * j));
                assertThat(vector.dot(row, 0, x, 0, ROW)).as("half 0x%04x", finite[(start + j) % finite.length])
                        .isEqualTo(expected == 0f ? 0f : expected);
                x[j] = 0f;
            }
        }
    }

    @ParameterizedTest(name = "special 0x{0}")
    @ValueSource(ints = {0x7C00, 0xFC00, 0x7E00, 0x7C01, 0xFFFF})
    void rowsWithInfinityOrNaNGiveTheScalarResult(int special) {
        Random random = new Random(special);
        byte[] bytes = new byte[2 * ROW];
        MemorySegment row = MemorySegment.ofArray(bytes);
        float[] x = new float[ROW];
        for (int position : new int[] {0, 37, 64 + 5, ROW - 1}) { // in the blocks, the vector after them, the tail
            float[] values = new float[ROW];
            for (int i = 0; i < ROW; i++) {
                values[i] = (float) random.nextGaussian();
                x[i] = (float) random.nextGaussian();
            }
            scalar.quantize(values, 0, ROW, row, 0);
            row.set(LittleEndian.SHORT, 2L * position, (short) special);
            float expected = scalar.dot(row, 0, x, 0, ROW);
            assertThat(Float.isNaN(expected) || Float.isInfinite(expected)).isTrue();
            // floatToIntBits: every NaN compares equal, infinities by sign
            assertThat(Float.floatToIntBits(vector.dot(row, 0, x, 0, ROW))).as("at %d", position)
                    .isEqualTo(Float.floatToIntBits(expected));
            float[] out = new float[2];
            vector.dotRows(row, 0, 2L * ROW, 1, x, 0, ROW, out, 1);
            assertThat(Float.floatToIntBits(out[1])).as("dotRows at %d", position).isEqualTo(Float.floatToIntBits(expected));
        }
    }

    /**
     * Rows cleared as finite go through the dot without the exponent check and with x scaled by
     * 2^112: the same bits as dotRows, for halves from subnormal to the largest, and for x with
     * values past 2^16 or NaN (where the scaling would overflow and dotRows steps in).
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void finiteRowsGiveTheBitsOfDotRows(int seed) {
        Random random = new Random(40 + seed);
        int n = seed % 4 == 3 ? 32 * 5 + 16 : 32 * (1 + random.nextInt(70)); // the first not whole pairs of vectors
        int rows = 1 + random.nextInt(30);
        long rowBytes = 2L * n;
        MemorySegment data = MemorySegment.ofArray(new byte[(int) (rows * rowBytes)]);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                short h;
                do {
                    h = (short) random.nextInt(1 << 16);
                } while ((h & 0x7C00) == 0x7C00);
                data.set(LittleEndian.SHORT, r * rowBytes + 2L * i, random.nextInt(4) == 0 ? h
                        : Float.floatToFloat16((float) random.nextGaussian()));
            }
        }
        assertThat(vector.allFinite(data, 0, rowBytes, rows, n)).isTrue();
        float[] x = new float[n + 1];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        if (seed == 5) {
            x[1 + random.nextInt(n)] = 0x1p16f;
        } else if (seed == 6) {
            x[1 + random.nextInt(n)] = Float.NaN;
        }
        float[] plain = new float[rows];
        float[] finite = new float[rows];
        vector.dotRows(data, 0, rowBytes, rows, x, 1, n, plain, 0);
        vector.dotFiniteRows(data, 0, rowBytes, rows, x, 1, n, finite, 0);
        for (int r = 0; r < rows; r++) {
            assertThat(Float.floatToIntBits(finite[r])).as("row %d of %d, n %d", r, rows, n)
                    .isEqualTo(Float.floatToIntBits(plain[r]));
        }
    }

    /** Any infinity or NaN, in any row and at any place of it, tail included. */
    @ParameterizedTest(name = "special 0x{0}")
    @ValueSource(ints = {0x7C00, 0xFC00, 0x7E00, 0x7C01, 0xFFFF})
    void allFiniteFindsEveryInfinityAndNaN(int special) {
        int n = 64 + 16 + 3;
        int rows = 3;
        long rowBytes = 2L * n + 6; // rows need not be back to back
        MemorySegment data = MemorySegment.ofArray(new byte[(int) (10 + rows * rowBytes)]);
        data.set(LittleEndian.SHORT, 10 + rows * rowBytes - 2, (short) special); // past the last row: not looked at
        data.set(LittleEndian.SHORT, 10 + 2 * n, (short) special); // in the gap after row 0
        assertThat(vector.allFinite(data, 10, rowBytes, rows, n)).isTrue();
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                long at = 10 + r * rowBytes + 2L * i;
                data.set(LittleEndian.SHORT, at, (short) special);
                assertThat(vector.allFinite(data, 10, rowBytes, rows, n)).as("row %d at %d", r, i).isFalse();
                data.set(LittleEndian.SHORT, at, (short) 0x3C00);
            }
        }
    }

    /** Rows going eight at a time, short and long (x beyond L1), with leftovers, and a NaN or not. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void rowsGoingEightAtATimeEqualDotPerRow(int seed) {
        Random random = new Random(seed);
        int n = 64 * (seed <= 3 ? 1 + random.nextInt(40) : 128 + random.nextInt(3));
        int rows = 8 + random.nextInt(13);
        long offset = 2 * random.nextInt(8);
        long rowBytes = 2L * n;
        MemorySegment data = MemorySegment.ofArray(new byte[(int) (offset + rows * rowBytes)]);
        float[] values = new float[n];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                values[i] = (float) random.nextGaussian();
            }
            scalar.quantize(values, 0, n, data, offset + r * rowBytes);
        }
        if (seed % 2 == 0) { // a NaN in one row sends its group of eight rows down the exact path
            data.set(LittleEndian.SHORT, offset + random.nextInt(rows) * rowBytes + 2L * random.nextInt(n), (short) 0x7E00);
        }
        float[] x = new float[n + 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] out = new float[rows + 1];
        vector.dotRows(data, offset, rowBytes, rows, x, 3, n, out, 1);
        for (int r = 0; r < rows; r++) {
            assertThat(Float.floatToIntBits(out[1 + r])).as("row %d of %d, n %d", r, rows, n)
                    .isEqualTo(Float.floatToIntBits(vector.dot(data, offset + r * rowBytes, x, 3, n)));
        }
    }
}
