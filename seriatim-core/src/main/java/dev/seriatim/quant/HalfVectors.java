package dev.seriatim.quant;

import dev.seriatim.tensor.VectorLanes;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Widening loads of 16-bit floats (IEEE half and bfloat16) into float vectors. The Vector API
 * has no half-precision conversion, so halves are widened with integer bit operations.
 */
final class HalfVectors {

    static final VectorSpecies<Float> F = VectorLanes.FLOAT;
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** As many shorts as F has floats, so one load feeds one float vector. */
    static final VectorSpecies<Short> S =
            VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));

    private HalfVectors() {}

    /** F.length() IEEE halves at {@code offset}, widened exactly to floats. */
    static FloatVector loadHalf(MemorySegment data, long offset) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(S, data, offset, ByteOrder.LITTLE_ENDIAN)
                .convertShape(VectorOperators.S2I, I, 0);
        IntVector sign = h.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        IntVector exponentAndFraction = h.and(0x7FFF);
        IntVector shifted = exponentAndFraction.lanewise(VectorOperators.LSHL, 13);
        // Placing the half's exponent and fraction in a float's fields gives the value scaled by
        // 2^-112 (exponent bias 127 vs 15); multiplying by 2^112 fixes that exactly, and also
        // turns half subnormals (which land as float subnormals) into the right normal floats.
        IntVector finite = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        // Infinity and NaN (half exponent all ones) need the float exponent all ones instead.
        VectorMask<Integer> special = exponentAndFraction.compare(VectorOperators.GE, 0x7C00);
        IntVector magnitude = finite.blend(shifted.or(0x7F80_0000), special);
        return magnitude.or(sign).reinterpretAsFloats();
    }

    /** F.length() bfloat16 values at {@code offset}, widened exactly to floats. */
    static FloatVector loadBFloat16(MemorySegment data, long offset) {
        return ShortVector.fromMemorySegment(S, data, offset, ByteOrder.LITTLE_ENDIAN)
                .convertShape(VectorOperators.S2I, I, 0)
                .lanewise(VectorOperators.LSHL, 16)
                .reinterpretAsFloats();
    }
}
