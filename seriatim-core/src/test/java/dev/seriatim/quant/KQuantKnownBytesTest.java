package dev.seriatim.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Q4_K, Q5_K and Q6_K super-blocks written out by hand from ggml's layouts. */
class KQuantKnownBytesTest {

    /** Sub-block scales and mins chosen so that the last four use their top two bits. */
    private static final int[] SC = {1, 2, 3, 4, 17, 33, 50, 63};
    private static final int[] M = {0, 5, 10, 63, 16, 31, 47, 2};
    /** SC and M packed by hand: low 6 bits of bytes 0..7, then low nibbles in 8..11. */
    private static final byte[] PACKED = {(byte) 0x41, (byte) 0x82, (byte) 0xC3, (byte) 0xC4, (byte) 0x40,
            (byte) 0x45, (byte) 0x8A, (byte) 0x3F, (byte) 0x01, (byte) 0xF1, (byte) 0xF2, (byte) 0x2F};

    @ParameterizedTest(name = "vector={0}")
    @ValueSource(booleans = {false, true})
    void q4_kCodesAreLowNibblesThenHighNibblesPerChunk(boolean vector) {
        BlockFormat format = vector ? new Q4_KVectorFormat() : new Q4_KFormat();
        byte[] bytes = new byte[7 + 144];
        bytes[7] = 0x00; // d = 1.0 (fp16 0x3C00, low byte first)
        bytes[8] = 0x3C;
        bytes[9] = 0x00; // dmin = 0.5 (0x3800)
        bytes[10] = 0x38;
        System.arraycopy(PACKED, 0, bytes, 11, 12);
        for (int k = 0; k < 128; k++) {
            int l = k % 32;
            bytes[23 + k] = (byte) ((l % 16) | ((15 - l % 16) << 4));
        }
        float[] expected = new float[256];
        for (int i = 0; i < 256; i++) {
            int l = i % 32;
            int code = (i % 64) < 32 ? l % 16 : 15 - l % 16;
            expected[i] = (float) SC[i / 32] * code - 0.5f * M[i / 32];
        }
        float[] out = new float[256];
        format.dequantize(MemorySegment.ofArray(bytes), 7, out, 0, 256);
        assertThat(out).containsExactly(expected);
        assertThat(out[32 + 1]).isEqualTo(2f * 14 - 2.5f); // high nibble of byte 1: 15 - 1
        assertThat(out[255]).isEqualTo(63f * 0 - 1f);

        float[] x = new float[256];
        x[0] = 1;
        x[33] = 2;
        x[255] = -3;
        float dot = format.dot(MemorySegment.ofArray(bytes), 7, x, 0, 256);
        assertThat(dot).isEqualTo(expected[0] + 2 * expected[33] - 3 * expected[255]);
    }

    @ParameterizedTest(name = "vector={0}")
    @ValueSource(booleans = {false, true})
    void q5_kTakesTheFifthBitFromQh(boolean vector) {
        BlockFormat format = vector ? new Q5_KVectorFormat() : new Q5_KFormat();
        byte[] bytes = new byte[176];
        bytes[1] = 0x3C; // d = 1.0
        bytes[3] = 0x38; // dmin = 0.5
        System.arraycopy(PACKED, 0, bytes, 4, 12);
        bytes[16 + 5] = 0b100;       // qh[5] bit 2: chunk 1, low nibble -> value 64 + 5 gets 16
        bytes[16 + 7] = (byte) 0x80; // qh[7] bit 7: chunk 3, high nibble -> value 192 + 32 + 7
        bytes[48 + 64 + 3] = (byte) 0xF1; // chunk 2, byte 3: value 128 + 3 code 1, value 160 + 3 code 15
        float[] expected = new float[256];
        for (int i = 0; i < 256; i++) {
            expected[i] = 0f * SC[i / 32] - 0.5f * M[i / 32]; // as decoded: 0.0, not -0.0, when M is 0
        }
        expected[69] = 16f * SC[2] - 0.5f * M[2];
        expected[231] = 16f * SC[7] - 0.5f * M[7];
        expected[131] = 1f * SC[4] - 0.5f * M[4];
        expected[163] = 15f * SC[5] - 0.5f * M[5];
        float[] out = new float[256];
        format.dequantize(MemorySegment.ofArray(bytes), 0, out, 0, 256);
        assertThat(out).containsExactly(expected);

        float[] x = new float[256];
        Arrays.fill(x, 1f);
        double sum = 0;
        for (float v : expected) {
            sum += v;
        }
        assertThat((double) format.dot(MemorySegment.ofArray(bytes), 0, x, 0, 256))
                .isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-3));
    }

    @ParameterizedTest(name = "vector={0}")
    @ValueSource(booleans = {false, true})
    void q6_kSplitsCodesOverQlAndQh(boolean vector) {
        BlockFormat format = vector ? new Q6_KVectorFormat() : new Q6_KFormat();
        byte[] bytes = new byte[3 + 210];
        int base = 3;
        // code 32 (value 0) everywhere: low nibbles 0, every 2-bit high field 2 (qh = 0b10101010)
        Arrays.fill(bytes, base + 128, base + 192, (byte) 0xAA);
        byte[] scales = {-128, -1, 0, 1, 127, 5, -7, 9, 10, -11, 12, 13, 14, 15, 16, 17};
        System.arraycopy(scales, 0, bytes, base + 192, 16);
        bytes[base + 208] = 0x00; // d = 0.25 (fp16 0x3400)
        bytes[base + 209] = 0x34;
        bytes[base + 0] = 0x05;              // value 0: code 5 | 2 << 4 = 37 -> +5
        bytes[base + 33] = 0x70;             // value 96 + 1 (high nibble of ql[33]): code 39 -> +7
        bytes[base + 128 + 32 + 3] = (byte) 0xA9; // half 1, l = 3, field 0 = 1: value 131 code 16 -> -16
        bytes[base + 128 + 32 + 20] = (byte) 0xEA; // half 1, l = 20, field 3 = 3: value 244 code 48 -> +16
        float[] expected = new float[256];
        for (int i = 0; i < 256; i++) {
            expected[i] = 0.25f * scales[i / 16] * 0; // code 32 decodes to a zero signed as its scale
        }
        expected[0] = 0.25f * -128 * 5;
        expected[97] = 0.25f * scales[97 / 16] * 7;
        expected[131] = 0.25f * scales[131 / 16] * -16;
        expected[244] = 0.25f * scales[244 / 16] * 16;
        float[] out = new float[256];
        format.dequantize(MemorySegment.ofArray(bytes), base, out, 0, 256);
        assertThat(out).containsExactly(expected);
        assertThat(expected[97]).isEqualTo(0.25f * -7 * 7);

        float[] x = new float[256];
        x[0] = 1;
        x[97] = 2;
        x[131] = 3;
        x[244] = -1;
        float dot = format.dot(MemorySegment.ofArray(bytes), base, x, 0, 256);
        assertThat(dot).isEqualTo(expected[0] + 2 * expected[97] + 3 * expected[131] - expected[244]);
    }
}
