package dev.seriatim.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * e^x for non-positive arguments (a softmax's x - max, a sigmoid's -|v|), built only from
 * lanewise multiply-adds, a conversion and a bit shift, so it gives the same bits in the
 * interpreter and in compiled code (the Vector API's own EXP need not). A prefill of 512 tokens
 * evaluates millions of exponentials in attention and in SwiGLU; {@code Math.exp} one lane at a
 * time was a tenth of the attention's time.
 *
 * <p>Method (as in Cephes' expf): x = n ln2 + r with n the nearest integer to x / ln2 and
 * |r| <= ln2 / 2, ln2 split in two parts so r is exact; e^r by a degree-6 polynomial (relative
 * error about 1e-7); then 2^n placed in the exponent bits. Arguments below -87 (and -infinity,
 * a masked score) give 0, so 2^n stays a normal number. Load only when the Vector API is
 * available.
 */
final class VectorExp {

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HIGH = 0.693359375f;
    private static final float LN2_LOW = -2.12194440e-4f;
    /** 1.5 * 2^23: adding and subtracting it rounds a float of magnitude below 2^22 to an integer. */
    private static final float ROUNDER = 12582912f;
    private static final float LOWEST = -87f;

    private VectorExp() {}

    /** e^x lane by lane, for x <= 0 (larger x are not clamped and may overflow). */
    static FloatVector exp(FloatVector x) {
        VectorSpecies<Float> s = x.species();
        FloatVector clamped = x.max(LOWEST);
        FloatVector n = clamped.fma(LOG2E, ROUNDER).sub(ROUNDER);
        // n * LN2_HIGH is exact (|n| < 2^7, LN2_HIGH has 9 bits), so r carries no rounding yet
        FloatVector r = clamped.sub(n.mul(LN2_HIGH));
        r = n.fma(FloatVector.broadcast(s, -LN2_LOW), r);
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
        p = p.fma(r, FloatVector.broadcast(s, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(s, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(s, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(s, 5.0000001201e-1f));
        p = p.fma(r.mul(r), r).add(1f);
        IntVector exponent = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        FloatVector e = p.mul(exponent.reinterpretAsFloats());
        return e.blend(0f, x.lt(LOWEST));
    }
}
