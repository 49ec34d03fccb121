package dev.seriatim.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code attendHead} equals dot, softmax and axpy composed (bit for bit within one
 * implementation, so the transformer's logits do not move), for head sizes that are and are
 * not whole vectors and for position counts that are and are not multiples of four.
 */
class AttendHeadTest {

    static Stream<Integer> seeds() {
        return IntStream.range(0, 60).boxed();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void equalsTheComposedKernels(int seed) {
        Random random = new Random(seed);
        int[] sizes = {16, 32, 64, 128, 24, 80};
        int headDim = sizes[seed % sizes.length];
        int kvOff = random.nextInt(3) * headDim;
        int kvStride = kvOff + headDim + random.nextInt(2) * headDim;
        int visible = 1 + random.nextInt(45);
        float[] q = gaussian(random, headDim + 7);
        int qOff = random.nextInt(7);
        float[] keys = gaussian(random, visible * kvStride);
        float[] values = gaussian(random, visible * kvStride);
        float scale = (float) (1 / Math.sqrt(headDim));

        float[] expectedAtt = new float[visible + 3];
        float[] expectedOut = new float[headDim + 5];
        boolean vector = VectorSupport.available();
        for (int j = 0; j < visible; j++) {
            expectedAtt[2 + j] = (vector ? VectorKernels.dot(q, qOff, keys, j * kvStride + kvOff, headDim)
                    : ScalarKernels.dot(q, qOff, keys, j * kvStride + kvOff, headDim)) * scale;
        }
        Kernels.softmax(expectedAtt, 2, visible);
        for (int j = 0; j < visible; j++) {
            Kernels.axpy(expectedAtt[2 + j], values, j * kvStride + kvOff, expectedOut, 3, headDim);
        }

        float[] att = new float[visible + 3];
        float[] out = new float[headDim + 5];
        Arrays.fill(out, 9f); // overwritten, not accumulated into
        out[0] = out[1] = out[2] = 0f;
        out[headDim + 3] = out[headDim + 4] = 0f;
        Kernels.attendHead(q, qOff, keys, values, kvOff, kvStride, visible, headDim, scale, att, 2, out, 3);
        assertThat(att).containsExactly(expectedAtt);
        assertThat(out).containsExactly(expectedOut);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void vectorAndScalarTwinsAgree(int seed) {
        assumeThat(VectorSupport.available()).isTrue();
        Random random = new Random(1000 + seed);
        int headDim = 16 * (1 + random.nextInt(8));
        int visible = 1 + random.nextInt(70);
        float[] q = gaussian(random, headDim);
        float[] keys = gaussian(random, visible * headDim);
        float[] values = gaussian(random, visible * headDim);
        float[] attV = new float[visible];
        float[] attS = new float[visible];
        float[] outV = new float[headDim];
        float[] outS = new float[headDim];
        VectorKernels.attendHead(q, 0, keys, values, 0, headDim, visible, headDim, 0.125f, attV, 0, outV, 0);
        // the plain-Java path: the same composition over the scalar kernels
        for (int j = 0; j < visible; j++) {
            attS[j] = ScalarKernels.dot(q, 0, keys, j * headDim, headDim) * 0.125f;
        }
        ScalarKernels.softmax(attS, 0, visible);
        for (int j = 0; j < visible; j++) {
            ScalarKernels.axpy(attS[j], values, j * headDim, outS, 0, headDim);
        }
        for (int i = 0; i < headDim; i++) {
            assertThat(outV[i]).isCloseTo(outS[i], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    private static float[] gaussian(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
