package dev.seriatim.quant;

import dev.seriatim.tensor.VectorLanes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fifth code bits of Q5_0 / Q5_1, spread from their 32-bit word into float lanes: lane
 * {@code k} of the result for element {@code first + k} is 16 when bit {@code first + k} of
 * {@code qh} is set, else 0. Load only when the Vector API is available.
 */
final class FifthBits {

    private static final VectorSpecies<Float> F = VectorLanes.FLOAT;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** Shift counts 0..31: lane k of a load at {@code first} shifts by {@code first + k}. */
    private static final int[] SHIFTS = new int[32];

    static {
        for (int i = 0; i < SHIFTS.length; i++) {
            SHIFTS[i] = i;
        }
    }

    private FifthBits() {}

    static FloatVector sixteens(int qh, int first) {
        return (FloatVector) IntVector.broadcast(I, qh)
                .lanewise(VectorOperators.LSHR, IntVector.fromArray(I, SHIFTS, first))
                .and(1)
                .lanewise(VectorOperators.LSHL, 4)
                .convert(VectorOperators.I2F, 0);
    }
}
