package dev.seriatim.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each kernel, scalar and vector, against a straightforward double-precision formula written
 * here, on random lengths (including vector tails) and offsets.
 */
class KernelsTest {

    private static final float TOLERANCE = 1e-4f;

    @Test
    void picksTheVectorImplementationWhenTheModuleIsPresent() {
        // Surefire runs with --add-modules jdk.incubator.vector and no seriatim.vector=false.
        assertThat(VectorSupport.available()).isTrue();
        assertThat(Kernels.usesVectorApi()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void dot(int seed) {
        Random random = new Random(seed);
        int n = random.nextInt(2000);
        float[] a = gaussian(random, n + 3);
        float[] b = gaussian(random, n + 7);
        double expected = 0;
        double magnitude = 0;
        for (int i = 0; i < n; i++) {
            expected += (double) a[3 + i] * b[7 + i];
            magnitude += Math.abs((double) a[3 + i] * b[7 + i]);
        }
        double tolerance = (n * 0x1p-24 + 1e-7) * magnitude;
        assertThat((double) ScalarKernels.dot(a, 3, b, 7, n)).isCloseTo(expected, within(tolerance));
        assertThat((double) VectorKernels.dot(a, 3, b, 7, n)).isCloseTo(expected, within(tolerance));
        assertThat(Kernels.dot(a, 3, b, 7, n)).isEqualTo(VectorKernels.dot(a, 3, b, 7, n));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void axpy(int seed) {
        Random random = new Random(seed);
        int n = random.nextInt(300);
        float[] x = gaussian(random, n + 2);
        float[] y = gaussian(random, n + 1);
        float a = (float) random.nextGaussian();
        float[] expected = y.clone();
        for (int i = 0; i < n; i++) {
            expected[1 + i] = (float) (y[1 + i] + (double) a * x[2 + i]);
        }
        for (Impl impl : Impl.values()) {
            float[] actual = y.clone();
            impl.axpy(a, x, 2, actual, 1, n);
            assertClose(actual, expected, impl);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void rmsNorm(int seed) {
        Random random = new Random(seed);
        int n = 1 + random.nextInt(300);
        float[] x = gaussian(random, n + 4);
        float[] weight = gaussian(random, n);
        float eps = 1e-5f;
        double sumSquares = 0;
        for (int i = 0; i < n; i++) {
            sumSquares += (double) x[4 + i] * x[4 + i];
        }
        double inverseRms = 1 / Math.sqrt(sumSquares / n + eps);
        float[] expected = new float[n + 1];
        for (int i = 0; i < n; i++) {
            expected[1 + i] = (float) (x[4 + i] * inverseRms * weight[i]);
        }
        for (Impl impl : Impl.values()) {
            float[] out = new float[n + 1];
            impl.rmsNorm(out, 1, x, 4, weight, n, eps);
            assertClose(out, expected, impl);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void layerNorm(int seed) {
        Random random = new Random(seed);
        int n = 1 + random.nextInt(300);
        float[] x = gaussian(random, n + 2);
        for (int i = 0; i < x.length; i++) {
            x[i] += 3f; // a non-zero mean, so forgetting to centre would show
        }
        float[] weight = gaussian(random, n);
        float[] bias = seed % 2 == 0 ? null : gaussian(random, n);
        float eps = 1e-5f;
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += x[2 + i];
        }
        mean /= n;
        double variance = 0;
        for (int i = 0; i < n; i++) {
            variance += (x[2 + i] - mean) * (x[2 + i] - mean);
        }
        variance /= n;
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = (float) ((x[2 + i] - mean) / Math.sqrt(variance + eps) * weight[i]
                    + (bias == null ? 0 : bias[i]));
        }
        for (Impl impl : Impl.values()) {
            float[] out = new float[n];
            impl.layerNorm(out, 0, x, 2, weight, bias, n, eps);
            assertClose(out, expected, impl);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void softmax(int seed) {
        Random random = new Random(seed);
        int n = 1 + random.nextInt(200);
        float[] x = gaussian(random, n + 1);
        for (int i = 1; i < x.length; i++) {
            x[i] *= 20;
            if (random.nextInt(4) == 0 && i != 1) {
                x[i] = Float.NEGATIVE_INFINITY; // masked positions
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[1 + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(x[1 + i] - max);
        }
        float[] expected = x.clone();
        for (int i = 0; i < n; i++) {
            expected[1 + i] = (float) (Math.exp(x[1 + i] - max) / sum);
        }
        for (Impl impl : Impl.values()) {
            float[] actual = x.clone();
            impl.softmax(actual, 1, n);
            assertClose(actual, expected, impl);
            for (int i = 0; i < n; i++) {
                if (x[1 + i] == Float.NEGATIVE_INFINITY) {
                    assertThat(actual[1 + i]).isZero();
                }
            }
        }
    }

    @Test
    void softmaxOfLargeValuesDoesNotOverflowAndAllMaskedIsUniform() {
        for (Impl impl : Impl.values()) {
            float[] big = {1000f, 1000f, 999f, Float.NEGATIVE_INFINITY};
            impl.softmax(big, 0, 4);
            assertThat(big[0]).isCloseTo(big[1], within(0f)).isCloseTo(0.4223f, within(1e-4f));
            assertThat(big[3]).isZero();
            float[] masked = new float[5];
            Arrays.fill(masked, Float.NEGATIVE_INFINITY);
            impl.softmax(masked, 0, 5);
            assertThat(masked).containsOnly(0.2f);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void ropeInterleavedRotatesAdjacentPairs(int seed) {
        Random random = new Random(seed);
        int heads = 1 + random.nextInt(4);
        int headDim = 2 * (4 + random.nextInt(40));
        int pairs = seed % 2 == 0 ? headDim / 2 : 1 + random.nextInt(headDim / 2); // partial rotary
        float[] cos = new float[pairs];
        float[] sin = new float[pairs];
        angles(random, cos, sin);
        float[] x = gaussian(random, 3 + heads * headDim);
        float[] expected = x.clone();
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < pairs; i++) {
                int a = 3 + h * headDim + 2 * i;
                expected[a] = (float) ((double) x[a] * cos[i] - (double) x[a + 1] * sin[i]);
                expected[a + 1] = (float) ((double) x[a] * sin[i] + (double) x[a + 1] * cos[i]);
            }
        }
        for (Impl impl : Impl.values()) {
            float[] actual = x.clone();
            impl.ropeInterleaved(actual, 3, heads, headDim, cos, sin);
            assertClose(actual, expected, impl);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void ropeSplitHalfRotatesPairsHalfTheRotaryWidthApart(int seed) {
        Random random = new Random(seed);
        int heads = 1 + random.nextInt(4);
        int headDim = 2 * (4 + random.nextInt(40));
        int half = seed % 2 == 0 ? headDim / 2 : 1 + random.nextInt(headDim / 2);
        float[] cos = new float[half];
        float[] sin = new float[half];
        angles(random, cos, sin);
        float[] x = gaussian(random, 1 + heads * headDim);
        float[] expected = x.clone();
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                int a = 1 + h * headDim + i;
                int b = a + half;
                expected[a] = (float) ((double) x[a] * cos[i] - (double) x[b] * sin[i]);
                expected[b] = (float) ((double) x[a] * sin[i] + (double) x[b] * cos[i]);
            }
        }
        for (Impl impl : Impl.values()) {
            float[] actual = x.clone();
            impl.ropeSplitHalf(actual, 1, heads, headDim, cos, sin);
            assertClose(actual, expected, impl);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void activations(int seed) {
        Random random = new Random(seed);
        int n = 1 + random.nextInt(200);
        float[] x = gaussian(random, n + 2);
        float[] up = gaussian(random, n);
        float[] silu = x.clone();
        float[] gelu = x.clone();
        float[] swiglu = new float[n];
        for (int i = 0; i < n; i++) {
            double v = x[2 + i];
            silu[2 + i] = (float) (v / (1 + Math.exp(-v)));
            gelu[2 + i] = (float) (0.5 * v * (1 + Math.tanh(0.7978845608028654 * (v + 0.044715 * v * v * v))));
            swiglu[i] = (float) (v / (1 + Math.exp(-v)) * up[i]);
        }
        for (Impl impl : Impl.values()) {
            float[] a = x.clone();
            impl.silu(a, 2, n);
            assertClose(a, silu, impl);
            float[] g = x.clone();
            impl.gelu(g, 2, n);
            assertClose(g, gelu, impl);
            float[] gate = Arrays.copyOfRange(x, 2, 2 + n);
            impl.swiglu(gate, up, n);
            assertClose(gate, swiglu, impl);
        }
        assertThat(ScalarKernels.gelu(1f)).isCloseTo(0.841192f, within(1e-5f)); // published GELU-tanh(1)
    }

    @Test
    void swigluAtTheExtremesAndOnAnyRange() {
        // more than a vector's worth, so the vector path sees every value; a range that starts
        // and ends mid-vector must give the very same values (threads split ranges anywhere)
        float[] gates = {-1000f, -120f, -88f, -87f, -30f, -1e-3f, -0f, 0f, 1e-3f, 30f, 87f, 88f, 120f, 1000f,
                -5f, 5f, -2.5f, 2.5f, 0.5f, -0.5f};
        float[] up = new float[gates.length];
        java.util.Arrays.fill(up, 1.5f);
        for (Impl impl : Impl.values()) {
            float[] a = gates.clone();
            impl.swiglu(a, up, a.length);
            float[] ranged = gates.clone();
            if (impl == Impl.SCALAR) {
                ScalarKernels.swiglu(ranged, up, 3, 15);
            } else {
                VectorKernels.swiglu(ranged, up, 3, 15);
            }
            for (int i = 0; i < gates.length; i++) {
                double v = gates[i];
                double expected = v / (1 + Math.exp(-v)) * 1.5;
                assertThat((double) a[i]).as("%s swiglu(%s)", impl, v)
                        .isCloseTo(expected, within(1e-6 * Math.max(1, Math.abs(expected))));
                assertThat(ranged[i]).as("%s range, element %d", impl, i).isEqualTo(i >= 3 && i < 18 ? a[i] : gates[i]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void elementwise(int seed) {
        Random random = new Random(seed);
        int n = random.nextInt(100);
        float[] a = gaussian(random, n + 1);
        float[] b = gaussian(random, n + 2);
        float s = (float) random.nextGaussian();
        float[] sum = a.clone();
        float[] product = a.clone();
        float[] scaled = a.clone();
        for (int i = 0; i < n; i++) {
            sum[1 + i] = a[1 + i] + b[2 + i];
            product[1 + i] = a[1 + i] * b[2 + i];
            scaled[1 + i] = a[1 + i] * s;
        }
        for (Impl impl : Impl.values()) {
            float[] actual = a.clone();
            impl.add(actual, 1, b, 2, n);
            assertThat(actual).containsExactly(sum); // one IEEE operation each: exact
            actual = a.clone();
            impl.mul(actual, 1, b, 2, n);
            assertThat(actual).containsExactly(product);
            actual = a.clone();
            impl.scale(actual, 1, n, s);
            assertThat(actual).containsExactly(scaled);
        }
    }

    private static void assertClose(float[] actual, float[] expected, Impl impl) {
        assertThat(actual).as(impl.name()).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            float bound = TOLERANCE * Math.max(1f, Math.abs(expected[i]));
            assertThat(actual[i]).as("%s element %d", impl, i).isCloseTo(expected[i], within(bound));
        }
    }

    private static void angles(Random random, float[] cos, float[] sin) {
        for (int i = 0; i < cos.length; i++) {
            double theta = random.nextDouble() * 2 * Math.PI;
            cos[i] = (float) Math.cos(theta);
            sin[i] = (float) Math.sin(theta);
        }
    }

    static float[] gaussian(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    /** Both implementations behind one switch, so each test checks both against the formula. */
    private enum Impl {
        SCALAR,
        VECTOR;

        void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
            if (this == SCALAR) ScalarKernels.axpy(a, x, xOff, y, yOff, n);
            else VectorKernels.axpy(a, x, xOff, y, yOff, n);
        }

        void rmsNorm(float[] out, int outOff, float[] x, int xOff, float[] w, int n, float eps) {
            if (this == SCALAR) ScalarKernels.rmsNorm(out, outOff, x, xOff, w, n, eps);
            else VectorKernels.rmsNorm(out, outOff, x, xOff, w, n, eps);
        }

        void layerNorm(float[] out, int outOff, float[] x, int xOff, float[] w, float[] b, int n, float eps) {
            if (this == SCALAR) ScalarKernels.layerNorm(out, outOff, x, xOff, w, b, n, eps);
            else VectorKernels.layerNorm(out, outOff, x, xOff, w, b, n, eps);
        }

        void softmax(float[] x, int off, int n) {
            if (this == SCALAR) ScalarKernels.softmax(x, off, n);
            else VectorKernels.softmax(x, off, n);
        }

        void ropeInterleaved(float[] x, int off, int heads, int dim, float[] cos, float[] sin) {
            if (this == SCALAR) ScalarKernels.ropeInterleaved(x, off, heads, dim, cos, sin);
            else VectorKernels.ropeInterleaved(x, off, heads, dim, cos, sin);
        }

        void ropeSplitHalf(float[] x, int off, int heads, int dim, float[] cos, float[] sin) {
            if (this == SCALAR) ScalarKernels.ropeSplitHalf(x, off, heads, dim, cos, sin);
            else VectorKernels.ropeSplitHalf(x, off, heads, dim, cos, sin);
        }

        void silu(float[] x, int off, int n) {
            if (this == SCALAR) ScalarKernels.silu(x, off, n);
            else VectorKernels.silu(x, off, n);
        }

        void gelu(float[] x, int off, int n) {
            if (this == SCALAR) ScalarKernels.gelu(x, off, n);
            else VectorKernels.gelu(x, off, n);
        }

        void swiglu(float[] gate, float[] up, int n) {
            if (this == SCALAR) ScalarKernels.swiglu(gate, up, 0, n);
            else VectorKernels.swiglu(gate, up, 0, n);
        }

        void add(float[] a, int aOff, float[] b, int bOff, int n) {
            if (this == SCALAR) ScalarKernels.add(a, aOff, b, bOff, n);
            else VectorKernels.add(a, aOff, b, bOff, n);
        }

        void mul(float[] a, int aOff, float[] b, int bOff, int n) {
            if (this == SCALAR) ScalarKernels.mul(a, aOff, b, bOff, n);
            else VectorKernels.mul(a, aOff, b, bOff, n);
        }

        void scale(float[] x, int off, int n, float s) {
            if (this == SCALAR) ScalarKernels.scale(x, off, n, s);
            else VectorKernels.scale(x, off, n, s);
        }
    }
}
