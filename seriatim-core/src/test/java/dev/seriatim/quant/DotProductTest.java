package dev.seriatim.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.tensor.GgmlType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * dot() must equal "dequantize, then a plain dot" for every type, in both the scalar and the
 * Vector API implementation, at random lengths and at unaligned row offsets; the Vector API
 * dequantize must be bit-identical to the scalar one.
 */
class DotProductTest {

    static Stream<Arguments> cases() {
        return FormatPairs.types().flatMap(t -> IntStream.range(0, 12).mapToObj(seed -> Arguments.of(t, seed)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void dotMatchesDequantizedDot(GgmlType type, int seed) {
        FormatPairs formats = FormatPairs.of(type);
        Random random = new Random(seed * 7919L + type.ordinal());
        int n = type.blockSize() == 256 ? 256 * (1 + random.nextInt(12)) : 32 * (1 + random.nextInt(100));
        if (type.blockSize() == 1 && seed % 2 == 1) {
            n += 1 + random.nextInt(31); // plain types allow any length: exercise the vector tails
        }
        long offset = random.nextInt(64); // rows in files start at arbitrary byte offsets
        float[] weights = randomValues(random, n);
        float[] x = randomValues(random, n + 5);
        int xOffset = random.nextInt(5);

        try (Arena arena = Arena.ofConfined()) {
            long bytes = offset + formats.scalar().rowBytes(n);
            MemorySegment data = seed % 3 == 0
                    ? MemorySegment.ofArray(new byte[(int) bytes])
                    : arena.allocate(bytes, 1);
            formats.scalar().quantize(weights, 0, n, data, offset);

            float[] scalarRow = new float[n];
            float[] vectorRow = new float[n];
            formats.scalar().dequantize(data, offset, scalarRow, 0, n);
            formats.vector().dequantize(data, offset, vectorRow, 0, n);
            assertThat(vectorRow).containsExactly(scalarRow);

            double expected = 0;
            double magnitude = 0;
            for (int i = 0; i < n; i++) {
                expected += (double) scalarRow[i] * x[xOffset + i];
                magnitude += Math.abs((double) scalarRow[i] * x[xOffset + i]);
            }
            // Float summation of n terms errs by at most about n * 2^-24 * sum|terms|.
            double tolerance = (n * 0x1p-24 + 1e-6) * magnitude + 1e-30;
            float scalarDot = formats.scalar().dot(data, offset, x, xOffset, n);
            float vectorDot = formats.vector().dot(data, offset, x, xOffset, n);
            assertThat((double) scalarDot).isCloseTo(expected, org.assertj.core.data.Offset.offset(tolerance));
            assertThat((double) vectorDot).isCloseTo(expected, org.assertj.core.data.Offset.offset(tolerance));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.seriatim.quant.FormatPairs#types")
    void dotIsRepeatable(GgmlType type) {
        FormatPairs formats = FormatPairs.of(type);
        Random random = new Random(99);
        int n = 1024;
        float[] weights = randomValues(random, n);
        float[] x = randomValues(random, n);
        MemorySegment data = MemorySegment.ofArray(new byte[(int) formats.scalar().rowBytes(n) + 3]);
        formats.scalar().quantize(weights, 0, n, data, 3);
        float first = formats.vector().dot(data, 3, x, 0, n);
        for (int i = 0; i < 2000; i++) { // long enough for the JIT to take over mid-loop
            assertThat(formats.vector().dot(data, 3, x, 0, n)).isEqualTo(first);
        }
    }

    /**
     * dotRows over 1 to 20 rows (at an odd offset, a gap between rows, and lengths across the
     * scratch chunking of the F16 path) gives each row's dot bit for bit, in both
     * implementations, and writes nothing outside its slots.
     */
    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void dotRowsEqualsDotPerRow(GgmlType type, int seed) {
        FormatPairs formats = FormatPairs.of(type);
        Random random = new Random(seed * 104729L + type.ordinal());
        int blocks = switch (type.blockSize()) {
            case 256 -> 1 + random.nextInt(5);
            // half the time whole runs of four 16-lane vectors, which kernels taking several rows at a time want
            case 1 -> random.nextBoolean() ? 64 * (1 + random.nextInt(20)) : 1 + random.nextInt(1300);
            default -> 1 + random.nextInt(60);
        };
        int n = type.blockSize() * blocks;
        int rows = 1 + random.nextInt(20); // past 16, so kernels that take rows eight at a time meet leftovers
        long rowBytes = formats.scalar().rowBytes(n) + random.nextInt(3);
        long offset = seed % 2 == 0 ? 0 : 1 + random.nextInt(40);
        MemorySegment data = MemorySegment.ofArray(new byte[(int) (offset + rows * rowBytes)]);
        for (int r = 0; r < rows; r++) {
            formats.scalar().quantize(randomValues(random, n), 0, n, data, offset + r * rowBytes);
        }
        float[] x = randomValues(random, n + 3);
        for (BlockFormat format : new BlockFormat[] {formats.scalar(), formats.vector()}) {
            float[] out = new float[rows + 2];
            out[0] = out[rows + 1] = 42f;
            format.dotRows(data, offset, rowBytes, rows, x, 3, n, out, 1);
            for (int r = 0; r < rows; r++) {
                assertThat(out[1 + r]).as("row %d", r).isEqualTo(format.dot(data, offset + r * rowBytes, x, 3, n));
            }
            assertThat(out[0]).isEqualTo(42f);
            assertThat(out[rows + 1]).isEqualTo(42f);
        }
    }

    static float[] randomValues(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian() * (i % 7 == 0 ? 3f : 0.5f);
        }
        return values;
    }
}
