package dev.seriatim.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.tensor.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Q8_0 and Q4_0 blocks written out by hand from ggml's layout. */
class KnownBytesTest {

    @ParameterizedTest(name = "vector={0}")
    @ValueSource(booleans = {false, true})
    void q8_0DecodesScaleTimesSignedBytes(boolean vector) {
        BlockFormat format = vector ? new Q8_0VectorFormat() : new Q8_0Format();
        byte[] bytes = new byte[3 + 34];
        bytes[3] = 0x00; // d = 0.5 is fp16 0x3800, stored low byte first
        bytes[4] = 0x38;
        for (int j = 0; j < 32; j++) {
            bytes[5 + j] = (byte) (j * 9 - 140); // -140 .. 139 wraps: exercises the sign of each byte
        }
        float[] out = new float[32];
        format.dequantize(MemorySegment.ofArray(bytes), 3, out, 0, 32);
        float[] expected = new float[32];
        for (int j = 0; j < 32; j++) {
            expected[j] = 0.5f * (byte) (j * 9 - 140);
        }
        assertThat(out).containsExactly(expected);
        assertThat(expected[0]).isEqualTo(0.5f * 116); // -140 wraps to +116
        assertThat(expected[1]).isEqualTo(0.5f * 125);
        assertThat(expected[2]).isEqualTo(0.5f * -122);

        float[] x = new float[32];
        x[0] = 1;
        x[2] = 2;
        x[31] = -1;
        float dot = format.dot(MemorySegment.ofArray(bytes), 3, x, 0, 32);
        assertThat(dot).isEqualTo(0.5f * (116 + 2 * -122 - (byte) (31 * 9 - 140)));
    }

    @ParameterizedTest(name = "vector={0}")
    @ValueSource(booleans = {false, true})
    void q8_0EncodesLikeGgml(boolean vector) {
        BlockFormat format = vector ? new Q8_0VectorFormat() : new Q8_0Format();
        float[] src = new float[32];
        src[0] = 127f;   // amax 127: d = 1.0 exactly
        src[1] = -2.5f;  // halves round away from zero, like C roundf
        src[2] = 2.5f;
        src[3] = 0.49f;
        src[4] = -0.5f;
        src[5] = -127f;
        byte[] bytes = new byte[34];
        format.quantize(src, 0, 32, MemorySegment.ofArray(bytes), 0);
        byte[] expected = new byte[34];
        expected[0] = 0x00;
        expected[1] = 0x3C; // fp16 1.0
        expected[2] = 127;
        expected[3] = -3;
        expected[4] = 3;
        expected[5] = 0;
        expected[6] = -1;
        expected[7] = -127;
        assertThat(bytes).containsExactly(expected);
    }

    @ParameterizedTest(name = "vector={0}")
    @ValueSource(booleans = {false, true})
    void q4_0LowNibblesAreTheFirstHalf(boolean vector) {
        BlockFormat format = vector ? new Q4_0VectorFormat() : new Q4_0Format();
        byte[] bytes = new byte[5 + 18];
        bytes[5] = 0x00; // d = 2.0 is fp16 0x4000
        bytes[6] = 0x40;
        for (int j = 0; j < 16; j++) {
            bytes[7 + j] = (byte) (j | ((15 - j) << 4));
        }
        float[] out = new float[32];
        format.dequantize(MemorySegment.ofArray(bytes), 5, out, 0, 32);
        for (int j = 0; j < 16; j++) {
            assertThat(out[j]).as("element %d", j).isEqualTo(2f * (j - 8));
            assertThat(out[16 + j]).as("element %d", 16 + j).isEqualTo(2f * (7 - j));
        }
        float[] x = new float[32];
        x[0] = 1;     // 2 * -8
        x[15] = 1;    // 2 * 7
        x[16] = 10;   // 2 * 7 * 10
        x[31] = -1;   // 2 * -8 * -1
        assertThat(format.dot(MemorySegment.ofArray(bytes), 5, x, 0, 32)).isEqualTo(-16 + 14 + 140 + 16);
    }

    @ParameterizedTest(name = "vector={0}")
    @ValueSource(booleans = {false, true})
    void q4_0EncodesLikeGgml(boolean vector) {
        BlockFormat format = vector ? new Q4_0VectorFormat() : new Q4_0Format();
        float[] src = new float[32];
        src[0] = -8f;    // signed max: d = -8 / -8 = 1, code 0
        src[1] = 7f;     // code 15
        src[2] = 8f;     // 16.5 truncates to 16, clipped to 15
        src[3] = 0.5f;   // 9.0 -> 9
        src[4] = -0.5f;  // 8.0 -> 8
        src[5] = 0.49f;  // 8.99 -> 8
        src[16] = 3f;    // code 11, high nibble of byte 0
        src[17] = -3f;   // code 5, high nibble of byte 1
        byte[] bytes = new byte[18];
        format.quantize(src, 0, 32, MemorySegment.ofArray(bytes), 0);
        byte[] expected = new byte[18];
        Arrays.fill(expected, (byte) 0x88); // zeros are code 8 in both nibbles
        expected[0] = 0x00;
        expected[1] = 0x3C; // fp16 1.0
        expected[2] = (byte) 0xB0;
        expected[3] = (byte) 0x5F;
        expected[4] = (byte) 0x8F;
        expected[5] = (byte) 0x89;
        assertThat(bytes).containsExactly(expected);
        assertThat(format.type()).isEqualTo(GgmlType.Q4_0);
    }
}
