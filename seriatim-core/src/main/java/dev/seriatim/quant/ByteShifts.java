package dev.seriatim.quant;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Bit shifts of packed quant codes, done on 32-bit lanes. x86 has no byte-lane shift, so a
 * {@code ByteVector} shift compiles to widen, shift and narrow (several times the cost of the
 * whole multiply-add it feeds, measured on the Q4_0 dot). Shifting the same bits as ints moves
 * bits across byte boundaries; every caller masks them away, which is why each method takes
 * the mask and checks that it keeps only bits a byte shift would also have produced.
 * Load only when the Vector API is available.
 */
final class ByteShifts {

    private ByteShifts() {}

    /** {@code (v >>> shift) & mask} per byte; mask must lie within the low 8 - shift bits. */
    static ByteVector shiftRightAndMask(ByteVector v, int shift, int mask) {
        assert (mask & 0xFF) >>> (8 - shift) == 0 : "mask " + mask + " keeps bits shifted in from the next byte";
        return v.reinterpretAsInts().lanewise(VectorOperators.LSHR, shift).reinterpretAsBytes().and((byte) mask);
    }

    /** {@code (v & mask) << shift} per byte; mask must lie within the low 8 - shift bits. */
    static ByteVector maskAndShiftLeft(ByteVector v, int mask, int shift) {
        assert (mask & 0xFF) >>> (8 - shift) == 0 : "mask " + mask + " would carry bits into the next byte";
        return v.and((byte) mask).reinterpretAsInts().lanewise(VectorOperators.LSHL, shift).reinterpretAsBytes();
    }
}
