package dev.seriatim.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The 4 x 4 dot tile equals sixteen separate dots bit for bit, in both kernel twins. */
class DotTileTest {

    static Stream<Integer> seeds() {
        return IntStream.range(0, 40).boxed();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void tileEqualsSeparateDots(int seed) {
        Random random = new Random(seed);
        int n = 1 + random.nextInt(300);
        int aStride = n + random.nextInt(5);
        int bStride = n + random.nextInt(5);
        int aOff = random.nextInt(7);
        int bOff = random.nextInt(7);
        float[] a = randomArray(random, aOff + 4 * aStride);
        float[] b = randomArray(random, bOff + 4 * bStride);
        int outStride = 4 + random.nextInt(3);
        float[] vector = new float[4 * outStride + 1];
        float[] scalar = new float[4 * outStride + 1];
        Kernels.dot4x4(a, aOff, aStride, b, bOff, bStride, n, vector, 1, outStride, new float[Kernels.DOT_TILE_SCRATCH]);
        ScalarKernels.dot4x4(a, aOff, aStride, b, bOff, bStride, n, scalar, 1, outStride, new float[Kernels.DOT_TILE_SCRATCH]);
        for (int j = 0; j < 4; j++) {
            for (int i = 0; i < 4; i++) {
                float expected = Kernels.dot(a, aOff + i * aStride, b, bOff + j * bStride, n);
                assertThat(vector[1 + j * outStride + i]).as("i=%d j=%d n=%d", i, j, n).isEqualTo(expected);
                assertThat(scalar[1 + j * outStride + i])
                        .isEqualTo(ScalarKernels.dot(a, aOff + i * aStride, b, bOff + j * bStride, n));
                double exact = 0;
                for (int k = 0; k < n; k++) {
                    exact += (double) a[aOff + i * aStride + k] * b[bOff + j * bStride + k];
                }
                assertThat((double) vector[1 + j * outStride + i]).isCloseTo(exact, org.assertj.core.data.Offset.offset(1e-3));
            }
        }
    }

    private static float[] randomArray(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
