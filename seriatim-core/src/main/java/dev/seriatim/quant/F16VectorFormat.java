package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.ThreadScratch;
import dev.seriatim.tensor.VectorLanes;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link F16Format} with a Vector API dot; load only when the Vector API is available.
 *
 * <p>The Vector API has no half-to-float conversion, so the dot widens each vector of halves in
 * registers with an exact shortcut: the half's sign-extended bits shifted left by 13 and masked
 * put its sign in the float's sign bit and its exponent and mantissa at the bottom of the float's,
 * which is the half's value times 2^-112 for every finite half, subnormals included (they land on
 * float subnormals); one multiply by 2^112 restores it exactly. The widened values, and so the
 * products and sums, are the bits that {@link F16Format#widen} gives. A half with the all-ones
 * exponent (infinity, NaN) would come out finite, so the largest exponent seen is kept and a row
 * holding one is done again by widening it to floats first. Against widening each row to a float
 * scratch with {@link F16Format#widen} and then multiplying (a store and two loads per vector,
 * where this has one load of halves and one of x), in billions of weights/s: one thread in cache
 * 10.5 to 13.0 (rows of 2048) and 7.8 to 14.0 (rows of 8192, whose 32 KiB scratch did not stay in
 * L1); two threads from memory 17.9 to 19.6-24 and 7.7 to 10.8.
 */
public final class F16VectorFormat implements BlockFormat {

    private static final VectorSpecies<Float> F = HalfVectors.F;
    private static final VectorSpecies<Integer> I = HalfVectors.I;
    private static final VectorSpecies<Short> S = HalfVectors.S;
    private static final int LANES = F.length();
    private static final F16Format SCALAR = new F16Format();
    /** The sign, exponent and mantissa of a half once its bits are shifted left by 13. */
    private static final int HALF_BITS = 0x8FFFE000;
    /** A half's exponent field, shifted left by 13: all ones for infinity and NaN. */
    private static final int HALF_EXPONENT = 0x0F800000;
    /** The widened row of the exact fallback for rows holding infinities or NaNs. */
    private static final ThreadScratch ROW = new ThreadScratch();

    @Override
    public GgmlType type() {
        return GgmlType.F16;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        float sum = rowDot(data, offset, x, xOffset, n);
        return Float.isNaN(sum) ? widenedDot(data, offset, x, xOffset, n) : sum;
    }

    @Override
    public void dotRows(MemorySegment data, long offset, long rowBytes, int rows, float[] x, int xOffset, int n,
            float[] out, int outOffset) {
        for (int r = 0; r < rows; r++) {
            out[outOffset + r] = dot(data, offset + r * rowBytes, x, xOffset, n);
        }
    }

    /**
     * Sum of row[i] * x[xOffset + i], the halves widened in registers: four vector accumulators
     * over blocks of four vectors (one chain of dependent multiply-adds would wait on each one's
     * latency), the rest of the vectors into the first, then the tail in order. NaN when the row
     * holds an infinity or NaN, whose widening here is wrong: the caller then widens exactly.
     */
    private static float rowDot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        IntVector exponents = IntVector.zero(I);
        int i = 0;
        for (int quad = n - 4 * LANES; i <= quad; i += 4 * LANES) {
            long at = offset + 2L * i;
            IntVector h0 = shiftedHalves(data, at);
            IntVector h1 = shiftedHalves(data, at + 2L * LANES);
            IntVector h2 = shiftedHalves(data, at + 4L * LANES);
            IntVector h3 = shiftedHalves(data, at + 6L * LANES);
            exponents = exponents.max(h0.and(HALF_EXPONENT)).max(h1.and(HALF_EXPONENT))
                    .max(h2.and(HALF_EXPONENT)).max(h3.and(HALF_EXPONENT));
            a0 = h0.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f)
                    .fma(FloatVector.fromArray(F, x, xOffset + i), a0);
            a1 = h1.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f)
                    .fma(FloatVector.fromArray(F, x, xOffset + i + LANES), a1);
            a2 = h2.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f)
                    .fma(FloatVector.fromArray(F, x, xOffset + i + 2 * LANES), a2);
            a3 = h3.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f)
                    .fma(FloatVector.fromArray(F, x, xOffset + i + 3 * LANES), a3);
        }
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            IntVector h = shiftedHalves(data, offset + 2L * i);
            exponents = exponents.max(h.and(HALF_EXPONENT));
            a0 = h.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(FloatVector.fromArray(F, x, xOffset + i), a0);
        }
        if (exponents.reduceLanes(VectorOperators.MAX) == HALF_EXPONENT) {
            return Float.NaN;
        }
        float sum = VectorLanes.sum(a0.add(a1).add(a2.add(a3)));
        for (; i < n; i++) {
            sum += Float.float16ToFloat(data.get(LittleEndian.SHORT, offset + 2L * i)) * x[xOffset + i];
        }
        return sum;
    }

    /** F.length() halves at {@code at}, sign-extended to int lanes and shifted left by 13. */
    private static IntVector shiftedHalves(MemorySegment data, long at) {
        return ((IntVector) ShortVector.fromMemorySegment(S, data, at, ByteOrder.LITTLE_ENDIAN)
                .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
    }

    /**
     * {@link #rowDot} for rows holding infinities or NaNs: widened to floats by
     * {@link F16Format#widen}, then the same sums in the same order.
     */
    private static float widenedDot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        float[] w = ROW.atLeast(n);
        F16Format.widen(data, offset, w, 0, n);
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        int i = 0;
        for (int quad = n - 4 * LANES; i <= quad; i += 4 * LANES) {
            a0 = FloatVector.fromArray(F, w, i).fma(FloatVector.fromArray(F, x, xOffset + i), a0);
            a1 = FloatVector.fromArray(F, w, i + LANES).fma(FloatVector.fromArray(F, x, xOffset + i + LANES), a1);
            a2 = FloatVector.fromArray(F, w, i + 2 * LANES).fma(FloatVector.fromArray(F, x, xOffset + i + 2 * LANES), a2);
            a3 = FloatVector.fromArray(F, w, i + 3 * LANES).fma(FloatVector.fromArray(F, x, xOffset + i + 3 * LANES), a3);
        }
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            a0 = FloatVector.fromArray(F, w, i).fma(FloatVector.fromArray(F, x, xOffset + i), a0);
        }
        float sum = VectorLanes.sum(a0.add(a1).add(a2.add(a3)));
        for (; i < n; i++) {
            sum += w[i] * x[xOffset + i];
        }
        return sum;
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] out, int outOffset, int n) {
        F16Format.widen(data, offset, out, outOffset, n);
    }

    @Override
    public void quantize(float[] src, int srcOffset, int n, MemorySegment data, long offset) {
        SCALAR.quantize(src, srcOffset, n, data, offset);
    }
}
