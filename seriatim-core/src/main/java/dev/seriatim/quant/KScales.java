package dev.seriatim.quant;

import java.lang.foreign.MemorySegment;

/**
 * The 12 bytes of packed 6-bit sub-block scales and mins shared by ggml's Q4_K and Q5_K.
 *
 * <p>A super-block has 8 sub-blocks of 32 values, each with a 6-bit scale {@code sc[j]} and a
 * 6-bit min {@code m[j]}: 96 bits in 12 bytes {@code s[0..11]}:
 * <pre>
 *   j &lt; 4:  sc[j] = s[j] &amp; 63            m[j] = s[j + 4] &amp; 63
 *   j &gt;= 4: sc[j] = (s[j + 4] &amp; 15) | (s[j - 4] &gt;&gt; 6) &lt;&lt; 4
 *           m[j]  = (s[j + 4] &gt;&gt; 4) | (s[j] &gt;&gt; 6) &lt;&lt; 4
 * </pre>
 * so the first four pairs sit in the low 6 bits of bytes 0..7, and the last four keep their low
 * nibbles in bytes 8..11 and their top two bits in the spare high bits of bytes 0..7.
 */
final class KScales {

    static final int BYTES = 12;
    static final int SUB_BLOCKS = 8;

    private KScales() {}

    /** The 6-bit scale of sub-block {@code j}; {@code s} is the offset of the 12 bytes. */
    static int scale(MemorySegment data, long s, int j) {
        if (j < 4) {
            return u8(data, s + j) & 63;
        }
        return (u8(data, s + j + 4) & 0x0F) | ((u8(data, s + j - 4) >> 6) << 4);
    }

    /** The 6-bit min of sub-block {@code j}. */
    static int min(MemorySegment data, long s, int j) {
        if (j < 4) {
            return u8(data, s + j + 4) & 63;
        }
        return (u8(data, s + j + 4) >> 4) | ((u8(data, s + j) >> 6) << 4);
    }

    /** Bytes 0..7 of the 12 at {@code s}, little-endian: for {@link #scale(long, int, int)}. */
    static long low(MemorySegment data, long s) {
        return data.get(LittleEndian.LONG, s);
    }

    /** Bytes 8..11 of the 12 at {@code s}, little-endian. */
    static int high(MemorySegment data, long s) {
        return data.get(LittleEndian.INT, s + 8);
    }

    /** {@link #scale(MemorySegment, long, int)} from the 12 bytes loaded as two words (one read each). */
    static int scale(long low, int high, int j) {
        if (j < 4) {
            return (int) (low >>> (8 * j)) & 63;
        }
        return ((high >>> (8 * (j - 4))) & 0x0F) | (((int) (low >>> (8 * (j - 4) + 6)) & 3) << 4);
    }

    /** {@link #min(MemorySegment, long, int)} from the 12 bytes loaded as two words. */
    static int min(long low, int high, int j) {
        if (j < 4) {
            return (int) (low >>> (8 * (j + 4))) & 63;
        }
        return ((high >>> (8 * (j - 4) + 4)) & 0x0F) | (((int) (low >>> (8 * j + 6)) & 3) << 4);
    }

    /** Packs 8 scales and 8 mins, each 0..63, into the 12 bytes at {@code s}. */
    static void pack(int[] scales, int[] mins, MemorySegment data, long s) {
        byte[] packed = new byte[BYTES];
        for (int j = 0; j < SUB_BLOCKS; j++) {
            int sc = scales[j];
            int m = mins[j];
            if (j < 4) {
                packed[j] |= (byte) sc;
                packed[j + 4] |= (byte) m;
            } else {
                packed[j + 4] = (byte) ((sc & 0x0F) | ((m & 0x0F) << 4));
                packed[j - 4] |= (byte) ((sc >> 4) << 6);
                packed[j] |= (byte) ((m >> 4) << 6);
            }
        }
        MemorySegment.copy(packed, 0, data, LittleEndian.BYTE, s, BYTES);
    }

    private static int u8(MemorySegment data, long at) {
        return data.get(LittleEndian.BYTE, at) & 0xFF;
    }
}
