package dev.seriatim.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Halves widen to exactly the floats {@link Float#float16ToFloat} gives, infinities and NaNs included. */
class WidenHalvesTest {

    @Test
    void everyHalfWidensExactlyOnBothPaths() {
        short[] all = new short[1 << 16];
        for (int h = 0; h < all.length; h++) {
            all[h] = (short) h;
        }
        float[] expected = new float[all.length];
        for (int h = 0; h < all.length; h++) {
            expected[h] = Float.float16ToFloat(all[h]);
        }
        float[] scalar = new float[all.length];
        ScalarKernels.widenHalves(all, 0, scalar, 0, all.length);
        assertThat(bits(scalar)).containsExactly(bits(expected));
        float[] chosen = new float[all.length];
        Kernels.widenHalves(all, 0, chosen, 0, all.length);
        assertThat(bits(chosen)).containsExactly(bits(expected));
        if (VectorSupport.available()) {
            float[] vector = new float[all.length];
            VectorKernels.widenHalves(all, 0, vector, 0, all.length);
            assertThat(bits(vector)).containsExactly(bits(expected));
        }
    }

    @Test
    void runsOfAnyLengthAndOffsetWidenOnlyTheirOwnValues() {
        Random random = new Random(9);
        for (int trial = 0; trial < 200; trial++) {
            int n = random.nextInt(70);
            int srcOff = random.nextInt(5);
            int dstOff = random.nextInt(5);
            short[] src = new short[srcOff + n + 3];
            for (int i = 0; i < src.length; i++) {
                // mostly finite values, now and then an infinity or NaN in a run
                src[i] = random.nextInt(20) == 0 ? (short) (0x7C00 | random.nextInt(1 << 10)) : (short) random.nextInt();
            }
            float[] dst = new float[dstOff + n + 3];
            java.util.Arrays.fill(dst, 42f);
            Kernels.widenHalves(src, srcOff, dst, dstOff, n);
            for (int i = 0; i < dst.length; i++) {
                boolean inRun = i >= dstOff && i < dstOff + n;
                float want = inRun ? Float.float16ToFloat(src[srcOff + i - dstOff]) : 42f;
                assertThat(Float.floatToRawIntBits(dst[i])).as("trial %d index %d", trial, i)
                        .isEqualTo(Float.floatToRawIntBits(want));
            }
        }
    }

    private static int[] bits(float[] values) {
        int[] b = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = Float.floatToRawIntBits(values[i]);
        }
        return b;
    }
}
