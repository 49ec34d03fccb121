package dev.seriatim.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Exact encodings of F16 and BF16, and the Vector API widening over every 16-bit pattern. */
class HalfBitPatternsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0x3F800000, 0x3C00", // 1.0
        "0xC0000000, 0xC000", // -2.0
        "0x477FE000, 0x7BFF", // 65504, largest half
        "0x477FF000, 0x7C00", // 65520 rounds to infinity
        "0x33800000, 0x0001", // 2^-24, smallest subnormal
        "0x387FC000, 0x03FF", // 1023 * 2^-24, largest subnormal
        "0x38800000, 0x0400", // 2^-14, smallest normal
        "0x00000000, 0x0000",
        "0x80000000, 0x8000", // -0.0
        "0x7F800000, 0x7C00", // infinity
        "0x3EAAA000, 0x3555", // 0.333251953125
    })
    void f16Encoding(String floatBits, String halfBits) {
        float value = Float.intBitsToFloat(bits(floatBits));
        int expected = bits(halfBits);
        byte[] bytes = new byte[2];
        new F16Format().quantize(new float[] {value}, 0, 1, MemorySegment.ofArray(bytes), 0);
        assertThat(bytes).containsExactly((byte) expected, (byte) (expected >> 8)); // little-endian
        float[] back = new float[1];
        new F16Format().dequantize(MemorySegment.ofArray(bytes), 0, back, 0, 1);
        if (expected != 0x7C00 || Float.isInfinite(value)) {
            assertThat(Float.floatToRawIntBits(back[0])).isEqualTo(bits(floatBits));
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0x3F800000, 0x3F80", // 1.0
        "0xC0000000, 0xC000", // -2.0
        "0x40400000, 0x4040", // 3.0
        "0x477FE000, 0x4780", // 65504 rounds up to 65536
        "0x3F808000, 0x3F80", // exact tie, even stays
        "0x3F818000, 0x3F82", // exact tie, odd rounds up to even
        "0x3F808001, 0x3F81", // just above the tie
        "0x3F807FFF, 0x3F80", // just below the tie
        "0x00000001, 0x0000", // tiny subnormal rounds to zero
        "0x7F7FFFFF, 0x7F80", // largest float rounds to infinity
        "0xFF800000, 0xFF80", // -infinity
        "0x7FC00001, 0x7FC0", // quiet NaN
        "0x7F800001, 0x7FC0", // signalling NaN must stay NaN, not become infinity
        "0xFFFFFFFF, 0xFFFF", // negative NaN with full payload must not carry into the sign
    })
    void bf16Encoding(String floatBits, String bfloatBits) {
        float value = Float.intBitsToFloat(bits(floatBits));
        int expected = bits(bfloatBits);
        byte[] bytes = new byte[2];
        new BF16Format().quantize(new float[] {value}, 0, 1, MemorySegment.ofArray(bytes), 0);
        assertThat(bytes).containsExactly((byte) expected, (byte) (expected >> 8));
        float[] back = new float[1];
        new BF16Format().dequantize(MemorySegment.ofArray(bytes), 0, back, 0, 1);
        assertThat(Float.floatToRawIntBits(back[0])).isEqualTo(expected << 16);
    }

    /**
     * Both implementations' dequantize, at an odd offset (the byte-offset loop) and an even one
     * (the loop C2 compiles to the hardware conversion), give Float.float16ToFloat for every
     * pattern; the loop runs long enough for the JIT to take over part-way.
     */
    @Test
    void f16WideningMatchesFloat16ToFloatForEveryPattern() {
        for (int offset : new int[] {1, 2}) {
            // Native memory, as a mapped model file is.
            MemorySegment all = Arena.ofAuto().allocate(offset + 2 * 65536).copyFrom(allPatterns(offset));
            for (BlockFormat format : new BlockFormat[] {new F16Format(), new F16VectorFormat()}) {
                float[] widened = new float[65536];
                for (int round = 0; round < 40; round++) {
                    format.dequantize(all, offset, widened, 0, 65536);
                }
                for (int i = 0; i < 65536; i++) {
                    float expected = Float.float16ToFloat((short) i);
                    if ((i & 0x7C00) == 0x7C00 && (i & 0x03FF) != 0) {
                        // NaN payloads: Float.float16ToFloat may or may not set the quiet bit (its
                        // intrinsic does), so only NaN-ness is specified.
                        assertThat(widened[i]).as("%s offset %d half 0x%04X", format, offset, i).isNaN();
                        continue;
                    }
                    assertThat(Float.floatToRawIntBits(widened[i])).as("%s offset %d half 0x%04X", format, offset, i)
                            .isEqualTo(Float.floatToRawIntBits(expected));
                }
            }
        }
    }

    @Test
    void vectorBF16WideningMatchesScalarForEveryPattern() {
        float[] scalar = new float[65536];
        float[] vector = new float[65536];
        MemorySegment all = allPatterns(1);
        new BF16Format().dequantize(all, 1, scalar, 0, 65536);
        new BF16VectorFormat().dequantize(all, 1, vector, 0, 65536);
        for (int i = 0; i < 65536; i++) {
            assertThat(Float.floatToRawIntBits(vector[i])).as("bfloat 0x%04X", i)
                    .isEqualTo(Float.floatToRawIntBits(scalar[i]));
        }
    }

    private static int bits(String hex) {
        return (int) Long.parseLong(hex.substring(2), 16);
    }

    /** Every 16-bit pattern in order, little-endian, starting at the odd offset 1. */
    /** Every 16-bit pattern in order, little-endian, starting at byte {@code offset}. */
    private static MemorySegment allPatterns(int offset) {
        byte[] bytes = new byte[offset + 2 * 65536];
        for (int i = 0; i < 65536; i++) {
            bytes[offset + 2 * i] = (byte) i;
            bytes[offset + 1 + 2 * i] = (byte) (i >> 8);
        }
        return MemorySegment.ofArray(bytes);
    }
}
