package dev.seriatim.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The training GEMM: vector equals its scalar twin bit for bit, both equal a double-precision product. */
class GemmTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void vectorEqualsScalarAndTheDefinition(int seed) {
        Random random = new Random(seed);
        int rows = 1 + random.nextInt(23);
        int inner = 1 + random.nextInt(40);
        int cols = 1 + random.nextInt(70);
        boolean transposedLeft = random.nextBoolean();
        int sRow = transposedLeft ? 1 : inner;
        int sCol = transposedLeft ? rows : 1;
        float[] s = gaussian(random, rows * inner + 3);
        float[] b = gaussian(random, inner * cols + 5);
        float[] c = gaussian(random, rows * cols + 2);
        float[] vector = c.clone();
        float[] scalar = c.clone();
        VectorGemm.accumulate(s, 3, sRow, sCol, b, 5, vector, 2, 0, rows, inner, cols);
        ScalarGemm.accumulate(s, 3, sRow, sCol, b, 5, scalar, 2, 0, rows, inner, cols);
        assertThat(vector).containsExactly(scalar);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                double expected = c[2 + r * cols + j];
                for (int p = 0; p < inner; p++) {
                    expected += (double) s[3 + r * sRow + p * sCol] * b[5 + p * cols + j];
                }
                assertThat((double) vector[2 + r * cols + j]).isCloseTo(expected, within(1e-4 * (1 + inner)));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void threadCountDoesNotChangeTheResult(int seed) {
        Random random = new Random(seed);
        int m = 37;
        int k = 29;
        int n = 45;
        float[] x = gaussian(random, m * k);
        float[] w = gaussian(random, n * k);
        float[] dy = gaussian(random, m * n);
        float[][] results = new float[3][];
        int[] threads = {1, 2, 3};
        for (int t = 0; t < threads.length; t++) {
            try (Parallel parallel = new Parallel(threads[t])) {
                float[] y = new float[m * n];
                float[] dx = new float[m * k];
                float[] dw = new float[n * k];
                Gemm.xwT(x, w, y, m, k, n, parallel);
                Gemm.dyW(dy, w, dx, m, n, k, parallel);
                Gemm.dyTx(dy, x, dw, m, n, k, parallel);
                results[t] = concat(y, dx, dw);
            }
        }
        assertThat(results[1]).containsExactly(results[0]);
        assertThat(results[2]).containsExactly(results[0]);
        // and the three products mean what their names say
        float[] y = java.util.Arrays.copyOfRange(results[0], 0, m * n);
        double expected = 0;
        for (int p = 0; p < k; p++) {
            expected += (double) x[3 * k + p] * w[7 * k + p];
        }
        assertThat((double) y[3 * n + 7]).isCloseTo(expected, within(1e-4));
        float[] dw = java.util.Arrays.copyOfRange(results[0], m * n + m * k, results[0].length);
        expected = 0;
        for (int i = 0; i < m; i++) {
            expected += (double) dy[i * n + 4] * x[i * k + 6];
        }
        assertThat((double) dw[4 * k + 6]).isCloseTo(expected, within(1e-4));
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static float[] gaussian(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }
}
