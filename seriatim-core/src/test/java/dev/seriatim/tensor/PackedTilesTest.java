package dev.seriatim.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The register tiles of the prefill product: the vector tiles equal their plain-Java twin bit
 * for bit (every element is the same fma chain), and both equal the product computed in double.
 */
class PackedTilesTest {

    static Stream<Integer> seeds() {
        return IntStream.range(0, 60).boxed();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void vectorTilesEqualTheScalarTwinAndTheProduct(int seed) {
        Random random = new Random(seed);
        int rows = 1 + random.nextInt(8);
        int width = 1 + random.nextInt(seed % 3 == 0 ? 70 : 33); // includes widths that are no whole vector
        int kc = 1 + random.nextInt(300);
        int wStride = kc + random.nextInt(4);
        int xStride = width + random.nextInt(20);
        if (seed % 4 == 1) { // the prefill product's own strides, which take a kernel of their own
            rows = seed % 8 == 1 ? 5 : 8; // 8: the kernel; 5: the rows it leaves to the others
            width = PackedMatmul.STRIP;
            kc = 1 + random.nextInt(PackedMatmul.KC);
            wStride = PackedMatmul.KC;
            xStride = PackedMatmul.STRIP;
        }
        int cStride = width + random.nextInt(5);
        int wOff = random.nextInt(5);
        int xOff = random.nextInt(5);
        int cOff = random.nextInt(5);
        float[] w = KernelsTest.gaussian(random, wOff + rows * wStride);
        float[] xp = KernelsTest.gaussian(random, xOff + kc * xStride + width);
        float[] start = KernelsTest.gaussian(random, cOff + rows * cStride + width);
        float[] scalar = start.clone();
        ScalarPackedTiles.tile(rows, w, wOff, wStride, xp, xOff, xStride, width, scalar, cOff, cStride, kc);
        float[] chosen = start.clone();
        PackedMatmul.tile(rows, w, wOff, wStride, xp, xOff, xStride, width, chosen, cOff, cStride, kc);
        assertThat(chosen).containsExactly(scalar);
        if (VectorSupport.available()) {
            float[] vector = start.clone();
            VectorPackedTiles.tile(rows, w, wOff, wStride, xp, xOff, xStride, width, vector, cOff, cStride, kc);
            assertThat(vector).containsExactly(scalar);
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < width; j++) {
                double exact = start[cOff + i * cStride + j];
                double magnitude = Math.abs(exact);
                for (int p = 0; p < kc; p++) {
                    double term = (double) w[wOff + i * wStride + p] * xp[xOff + p * xStride + j];
                    exact += term;
                    magnitude += Math.abs(term);
                }
                assertThat((double) scalar[cOff + i * cStride + j]).as("i=%d j=%d", i, j)
                        .isCloseTo(exact, within(1e-6 * magnitude + 1e-30));
            }
        }
        // the padding between rows of c is never written
        for (int i = 0; i + 1 < rows; i++) {
            for (int j = width; j < cStride; j++) {
                assertThat(scalar[cOff + i * cStride + j]).isEqualTo(start[cOff + i * cStride + j]);
            }
        }
    }

    /** Strips of a key cache: the same as one tile per strip, whichever kernel takes them. */
    @ParameterizedTest
    @MethodSource("seeds")
    void tileStripsEqualsOneTilePerStrip(int seed) {
        Random random = new Random(1000 + seed);
        int rows = seed % 2 == 0 ? 1 : 1 + random.nextInt(8); // one query (generation) or a group
        int strips = 1 + random.nextInt(6);
        int kc = 1 + random.nextInt(130);
        int strip = PackedMatmul.STRIP;
        int stripStride = kc * strip + random.nextInt(3);
        int wStride = kc + random.nextInt(4);
        int cStride = strips * strip + random.nextInt(5);
        int wOff = random.nextInt(5);
        int xOff = random.nextInt(5);
        int cOff = random.nextInt(5);
        float[] w = KernelsTest.gaussian(random, wOff + rows * wStride);
        float[] xp = KernelsTest.gaussian(random, xOff + strips * stripStride);
        float[] start = KernelsTest.gaussian(random, cOff + rows * cStride + strips * strip);
        float[] perStrip = start.clone();
        for (int s = 0; s < strips; s++) {
            ScalarPackedTiles.tile(rows, w, wOff, wStride, xp, xOff + s * stripStride, strip, strip, perStrip,
                    cOff + s * strip, cStride, kc);
        }
        float[] scalar = start.clone();
        ScalarPackedTiles.tileStrips(rows, w, wOff, wStride, xp, xOff, stripStride, strips, scalar, cOff, cStride, kc);
        assertThat(scalar).containsExactly(perStrip);
        float[] chosen = start.clone();
        PackedMatmul.tileStrips(rows, w, wOff, wStride, xp, xOff, stripStride, strips, chosen, cOff, cStride, kc);
        assertThat(chosen).containsExactly(perStrip);
        if (VectorSupport.available()) {
            float[] vector = start.clone();
            VectorPackedTiles.tileStrips(rows, w, wOff, wStride, xp, xOff, stripStride, strips, vector, cOff,
                    cStride, kc);
            assertThat(vector).containsExactly(perStrip);
        }
    }
}
