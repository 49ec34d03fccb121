package dev.seriatim.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The float value of every IEEE half-precision bit pattern, for the block scales of the Vector
 * API row dots. {@link Float#float16ToFloat} compiles to a move into a vector register, a
 * conversion and then a broadcast: three of the nine or so vector instructions a 32-weight
 * block costs, on the two ports that 512-bit work shares. A table entry is instead read
 * straight into all lanes by one broadcast load, which no vector port executes. The table
 * takes 256 KiB, of which a model touches only the entries its scales use (a few KiB: block
 * scales cluster in a narrow band of exponents).
 */
final class HalfTable {

    /** Unsigned, so the 16 bits index the table with no masking or sign extension. */
    private static final ValueLayout.OfChar BITS =
            ValueLayout.JAVA_CHAR_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** VALUES[h] == Float.float16ToFloat((short) h), NaN payloads included. */
    private static final float[] VALUES = build();

    private HalfTable() {}

    /** The half at {@code offset}, as a float: the same bits {@link Float#float16ToFloat} gives. */
    static float at(MemorySegment data, long offset) {
        return VALUES[data.get(BITS, offset)];
    }

    private static float[] build() {
        float[] values = new float[1 << 16];
        for (int h = 0; h < values.length; h++) {
            values[h] = Float.float16ToFloat((short) h);
        }
        return values;
    }
}
