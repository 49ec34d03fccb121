package dev.seriatim.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.tensor.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * quantize then dequantize: the K-quants' error stays within a step of their grid, and on
 * Gaussian weights more bits give less error (Q4_0 > Q4_K > Q5_K > Q6_K > Q8_0), as in ggml.
 */
class KQuantRoundTripTest {

    static Stream<Arguments> cases() {
        return Stream.of(GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K)
                .flatMap(t -> IntStream.range(0, 8).mapToObj(seed -> Arguments.of(t, seed)));
    }

    /** Largest code: the grid of a super-block spans its range in at most this many steps. */
    private static int codeSteps(GgmlType type) {
        return switch (type) {
            case Q4_K -> 15;
            case Q5_K -> 31;
            case Q6_K -> 63;
            default -> throw new IllegalArgumentException(type.toString());
        };
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void everyValueIsWithinAStepOfItsSuperBlocksRange(GgmlType type, int seed) {
        Random random = new Random(seed);
        float[] src = values(random, 256 * 6, seed % 2 == 0 ? 1f : 1e-3f);
        float[] back = roundTrip(BlockFormats.scalar(type), src);
        for (int b = 0; b < src.length / 256; b++) {
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (int i = b * 256; i < b * 256 + 256; i++) {
                min = Math.min(min, src[i]);
                max = Math.max(max, src[i]);
            }
            // each sub-block's own grid is finer than the super-block's coarsest one; rounding
            // the 6-bit (or 8-bit) sub-block scale costs at most another step
            double step = (Math.max(max, 0) - Math.min(min, 0)) / codeSteps(type);
            for (int i = b * 256; i < b * 256 + 256; i++) {
                assertThat((double) Math.abs(back[i] - src[i])).as("%s element %d", type, i)
                        .isLessThanOrEqualTo(2 * step);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void moreBitsGiveLessError(int seed) {
        float[] src = values(new Random(seed), 256 * 32, 1f);
        double q4_0 = rmse(GgmlType.Q4_0, src);
        double q4_k = rmse(GgmlType.Q4_K, src);
        double q5_k = rmse(GgmlType.Q5_K, src);
        double q6_k = rmse(GgmlType.Q6_K, src);
        double q8_0 = rmse(GgmlType.Q8_0, src);
        assertThat(q4_k).isLessThan(q4_0);
        assertThat(q5_k).isLessThan(q4_k * 0.6);
        assertThat(q6_k).isLessThan(q5_k * 0.6);
        assertThat(q8_0).isLessThan(q6_k);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kTypes")
    void zerosAndConstantsRoundTrip(GgmlType type) {
        float[] zeros = new float[512];
        for (float v : roundTrip(BlockFormats.scalar(type), zeros)) {
            assertThat(Math.abs(v)).isZero(); // either signed zero
        }
        float[] constant = new float[256];
        java.util.Arrays.fill(constant, -0.75f);
        for (float v : roundTrip(BlockFormats.scalar(type), constant)) {
            assertThat(Math.abs(v + 0.75f)).isLessThan(0.01f);
        }
    }

    static Stream<GgmlType> kTypes() {
        return Stream.of(GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K);
    }

    static double rmse(GgmlType type, float[] src) {
        float[] back = roundTrip(BlockFormats.scalar(type), src);
        double sum = 0;
        for (int i = 0; i < src.length; i++) {
            sum += (double) (back[i] - src[i]) * (back[i] - src[i]);
        }
        return Math.sqrt(sum / src.length);
    }

    /** Gaussian values with occasional outliers, as trained weights have. */
    static float[] values(Random random, int n, float std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * std * (random.nextInt(50) == 0 ? 4 : 1));
        }
        return v;
    }

    private static float[] roundTrip(BlockFormat format, float[] src) {
        MemorySegment data = MemorySegment.ofArray(new byte[(int) format.rowBytes(src.length)]);
        format.quantize(src, 0, src.length, data, 0);
        float[] back = new float[src.length];
        format.dequantize(data, 0, back, 0, src.length);
        return back;
    }
}
