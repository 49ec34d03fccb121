package dev.seriatim.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * IEEE halves widened in registers. A half's sign-extended bits shifted left by 13 and masked to
 * sign, exponent and mantissa are the float of the same sign and mantissa whose exponent is 112
 * less: the half times 2^-112, exactly, subnormals included. Infinities and NaNs (exponent bits
 * all set) come out finite, so callers look for them with {@link #EXPONENT}. Load only when
 * {@link VectorSupport#available()}.
 */
final class HalfBits {

    /** A half's exponent bits, all set for infinities and NaNs. */
    static final int EXPONENT = 0x7C00;
    /** Sign, exponent and mantissa of a half, once shifted to a float's positions. */
    private static final int FLOAT_BITS = 0x8FFFE000;

    private HalfBits() {}

    /** The halves whose sign-extended bits are {@code halves}, each times 2^-112. */
    static FloatVector scaledDown(IntVector halves) {
        return halves.lanewise(VectorOperators.LSHL, 13).and(FLOAT_BITS).reinterpretAsFloats();
    }
}
