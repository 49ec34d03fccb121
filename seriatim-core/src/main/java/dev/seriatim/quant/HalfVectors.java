package dev.seriatim.quant;

import dev.seriatim.tensor.VectorLanes;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Widening loads of bfloat16 values into float vectors (a bfloat16 is the upper half of a
 * float's bits), and the species that IEEE halves are widened with ({@link F16VectorFormat}).
 */
final class HalfVectors {

    static final VectorSpecies<Float> F = VectorLanes.FLOAT;
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** As many shorts as F has floats, so one load feeds one float vector. */
    static final VectorSpecies<Short> S =
            VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));

    private HalfVectors() {}

    /** F.length() bfloat16 values at {@code offset}, widened exactly to floats. */
    static FloatVector loadBFloat16(MemorySegment data, long offset) {
        return ShortVector.fromMemorySegment(S, data, offset, ByteOrder.LITTLE_ENDIAN)
                .convertShape(VectorOperators.S2I, I, 0)
                .lanewise(VectorOperators.LSHL, 16)
                .reinterpretAsFloats();
    }
}
