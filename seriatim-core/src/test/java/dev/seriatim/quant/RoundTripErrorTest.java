package dev.seriatim.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** quantize then dequantize stays within each format's worst-case error. */
class RoundTripErrorTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void f32IsExact(int seed) {
        float[] src = DotProductTest.randomValues(new Random(seed), 96);
        assertThat(roundTrip(new F32Format(), src)).containsExactly(src);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void f16ErrsByAtMostHalfAnUlp(int seed) {
        Random random = new Random(seed);
        float[] src = new float[256];
        for (int i = 0; i < src.length; i++) {
            src[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(9) - 6)); // into subnormals
        }
        float[] back = roundTrip(new F16Format(), src);
        for (int i = 0; i < src.length; i++) {
            // 10 fraction bits: half an ulp is 2^-11 relative; subnormal spacing is 2^-24.
            double bound = Math.max(Math.abs(src[i]) * 0x1p-11, 0x1p-25);
            assertThat((double) Math.abs(back[i] - src[i])).as("element %d", i).isLessThanOrEqualTo(bound);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void bf16ErrsByAtMostHalfAnUlp(int seed) {
        Random random = new Random(seed);
        float[] src = new float[256];
        for (int i = 0; i < src.length; i++) {
            src[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
        }
        float[] back = roundTrip(new BF16Format(), src);
        for (int i = 0; i < src.length; i++) {
            // 7 fraction bits: half an ulp is 2^-8 relative.
            assertThat((double) Math.abs(back[i] - src[i])).as("element %d", i)
                    .isLessThanOrEqualTo(Math.abs(src[i]) * 0x1p-8);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void q8_0ErrsByHalfAStepPlusScaleRounding(int seed) {
        float[] src = DotProductTest.randomValues(new Random(seed), 32 * 16);
        float[] back = roundTrip(new Q8_0Format(), src);
        for (int b = 0; b < src.length / 32; b++) {
            float amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(src[b * 32 + j]));
            }
            float d = amax / 127f;
            float storedD = Float.float16ToFloat(Float.floatToFloat16(d));
            // q is rounded against the exact d (half a step), then decoded with the fp16 d,
            // which moves a value by |q| <= 127 times the scale's rounding error.
            double bound = 0.5 * d + 127 * Math.abs(d - storedD) + 1e-7 * amax;
            for (int j = 0; j < 32; j++) {
                int i = b * 32 + j;
                assertThat((double) Math.abs(back[i] - src[i])).as("element %d", i).isLessThanOrEqualTo(bound);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void q8_0ErrsByAtMostHalfAStepWhenTheScaleIsExact(int seed) {
        Random random = new Random(seed);
        float[] src = new float[64];
        for (int i = 0; i < src.length; i++) {
            src[i] = (random.nextFloat() * 2 - 1) * 126f;
        }
        src[5] = 127f; // amax 127 makes d exactly 1 in fp16
        src[40] = -127f;
        float[] back = roundTrip(new Q8_0Format(), src);
        for (int i = 0; i < src.length; i++) {
            assertThat(Math.abs(back[i] - src[i])).isLessThanOrEqualTo(0.5f);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void q4_0ErrsByHalfAStepExceptTheClippedTop(int seed) {
        float[] src = DotProductTest.randomValues(new Random(seed), 32 * 16);
        float[] back = roundTrip(new Q4_0Format(), src);
        for (int b = 0; b < src.length / 32; b++) {
            float amax = 0;
            float max = 0;
            for (int j = 0; j < 32; j++) {
                if (Math.abs(src[b * 32 + j]) > amax) {
                    amax = Math.abs(src[b * 32 + j]);
                    max = src[b * 32 + j];
                }
            }
            float d = max / -8f;
            double scaleError = 8 * Math.abs(d - Float.float16ToFloat(Float.floatToFloat16(d)));
            for (int j = 0; j < 32; j++) {
                int i = b * 32 + j;
                // Codes span -8..7 steps: a value 7.5 or more steps on the far side from max
                // (up to +8) is clipped to 7 and may err by a whole step.
                boolean clipped = src[i] / d >= 7.5f;
                double bound = (clipped ? 1.0 : 0.5) * Math.abs(d) + scaleError + 1e-6 * amax;
                assertThat((double) Math.abs(back[i] - src[i])).as("element %d", i).isLessThanOrEqualTo(bound);
            }
        }
    }

    private static float[] roundTrip(BlockFormat format, float[] src) {
        MemorySegment data = MemorySegment.ofArray(new byte[(int) format.rowBytes(src.length)]);
        format.quantize(src, 0, src.length, data, 0);
        float[] back = new float[src.length];
        format.dequantize(data, 0, back, 0, src.length);
        return back;
    }
}
