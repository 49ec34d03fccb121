package dev.seriatim.quant;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Memory layouts for reading GGUF rows: little-endian and unaligned, because a row may start at
 * any byte offset of a mapped file (block sizes such as 34 or 18 bytes break natural alignment).
 */
final class LittleEndian {

    static final ValueLayout.OfShort SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private LittleEndian() {}
}
