package dev.seriatim.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class HalfTableTest {

    /** Every pattern, read little-endian at an odd offset, against the JDK's conversion. */
    @Test
    void everyHalfPatternMatchesTheJdkConversion() {
        byte[] bytes = new byte[1 + 2 * 65536];
        for (int h = 0; h < 65536; h++) {
            bytes[1 + 2 * h] = (byte) h;
            bytes[2 + 2 * h] = (byte) (h >>> 8);
        }
        MemorySegment data = MemorySegment.ofArray(bytes);
        for (int h = 0; h < 65536; h++) {
            float expected = Float.float16ToFloat((short) h);
            assertThat(Float.floatToRawIntBits(HalfTable.at(data, 1 + 2L * h)))
                    .as("half 0x%04X", h)
                    .isEqualTo(Float.floatToRawIntBits(expected));
        }
    }

    @Test
    void knownValues() {
        assertThat(read(0x3C00)).isEqualTo(1f);
        assertThat(read(0xC000)).isEqualTo(-2f);
        assertThat(read(0x7BFF)).isEqualTo(65504f);
        assertThat(read(0x0001)).isEqualTo(0x1p-24f);
        assertThat(Float.floatToRawIntBits(read(0x8000))).isEqualTo(0x80000000);
        assertThat(read(0xFC00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(read(0x7E00)).isNaN();
    }

    private static float read(int half) {
        return HalfTable.at(MemorySegment.ofArray(new byte[] {(byte) half, (byte) (half >>> 8)}), 0);
    }
}
