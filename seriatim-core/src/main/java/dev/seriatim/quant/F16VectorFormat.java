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
    /** Whether rows may go four at a time: 16 accumulators and the loads fit in 32 registers. */
    private static final boolean QUADS = LANES == 16;
    /** The four accumulators of {@link #quadDot}, stored to be summed. */
    private static final ThreadScratch LANE_SUMS = new ThreadScratch();
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

    /**
     * Each row as {@link #dot}. With 16-lane vectors, rows made of whole blocks of four vectors go
     * four at a time, a quarter of the call's rows apart ({@link #quadDot}); four rows holding an
     * infinity or NaN are redone one by one.
     */
    @Override
    public void dotRows(MemorySegment data, long offset, long rowBytes, int rows, float[] x, int xOffset, int n,
            float[] out, int outOffset) {
        int quarter = QUADS && n % (4 * LANES) == 0 ? rows / 4 : 0;
        if (quarter > 0) {
            float[] lanes = LANE_SUMS.atLeast(4 * LANES);
            for (int r = 0; r < quarter; r++) {
                if (!quadDot(data, offset + r * rowBytes, quarter * rowBytes, x, xOffset, n, out, outOffset + r, quarter,
                        lanes)) {
                    for (int k = 0; k < 4; k++) {
                        out[outOffset + r + k * quarter] = dot(data, offset + (r + k * quarter) * rowBytes, x, xOffset, n);
                    }
                }
            }
        }
        for (int r = 4 * quarter; r < rows; r++) {
            out[outOffset + r] = dot(data, offset + r * rowBytes, x, xOffset, n);
        }
    }

    /**
     * {@link #rowDot} of the four rows at offset + k * apart (k = 0..3) into
     * out[outAt + k * outApart], for n a multiple of four vectors, each row's sums in rowDot's
     * order (so the same bits); false, with nothing written, when one of them holds an infinity or
     * NaN. Each vector of x loaded serves four rows, and four streams come from memory: for rows of
     * 8192 (a Llama-3.2-1B-shape down projection, whose 32 KiB of x does not stay in L1 beside the
     * streaming weights) two threads read 16.3 billion weights/s from memory against 10.7 one row
     * at a time, for rows of 768 21.0 against 15.6 (rows of 2048: 18.0 against 23.9). In the model,
     * 1B-shape generation +10-29% and stories110M-shape +20%. Written out, widening included:
     * with a helper for the widening C2 ran out of inlining budget and boxed the vectors (3-9x
     * slower).
     */
    private static boolean quadDot(MemorySegment data, long offset, long apart, float[] x, int xOffset, int n,
            float[] out, int outAt, int outApart, float[] lanes) {
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = FloatVector.zero(F);
        FloatVector a02 = FloatVector.zero(F);
        FloatVector a03 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F);
        FloatVector a11 = FloatVector.zero(F);
        FloatVector a12 = FloatVector.zero(F);
        FloatVector a13 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F);
        FloatVector a21 = FloatVector.zero(F);
        FloatVector a22 = FloatVector.zero(F);
        FloatVector a23 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F);
        FloatVector a31 = FloatVector.zero(F);
        FloatVector a32 = FloatVector.zero(F);
        FloatVector a33 = FloatVector.zero(F);
        IntVector exponents = IntVector.zero(I);
        for (int i = 0; i < n; i += 4 * LANES) {
            long at = offset + 2L * i;
            FloatVector x0 = FloatVector.fromArray(F, x, xOffset + i);
            FloatVector x1 = FloatVector.fromArray(F, x, xOffset + i + LANES);
            FloatVector x2 = FloatVector.fromArray(F, x, xOffset + i + 2 * LANES);
            FloatVector x3 = FloatVector.fromArray(F, x, xOffset + i + 3 * LANES);
            IntVector h00 = ((IntVector) ShortVector.fromMemorySegment(S, data, at, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h01 = ((IntVector) ShortVector.fromMemorySegment(S, data, at + 2L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h02 = ((IntVector) ShortVector.fromMemorySegment(S, data, at + 4L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h03 = ((IntVector) ShortVector.fromMemorySegment(S, data, at + 6L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h10 = ((IntVector) ShortVector.fromMemorySegment(S, data, at + apart, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h11 = ((IntVector) ShortVector.fromMemorySegment(S, data, at + apart + 2L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h12 = ((IntVector) ShortVector.fromMemorySegment(S, data, at + apart + 4L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h13 = ((IntVector) ShortVector.fromMemorySegment(S, data, at + apart + 6L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h20 = ((IntVector) ShortVector.fromMemorySegment(S, data, at + 2 * apart, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h21 = ((IntVector) ShortVector.fromMemorySegment(S, data, at + 2 * apart + 2L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h22 = ((IntVector) ShortVector.fromMemorySegment(S, data, at + 2 * apart + 4L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h23 = ((IntVector) ShortVector.fromMemorySegment(S, data, at + 2 * apart + 6L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h30 = ((IntVector) ShortVector.fromMemorySegment(S, data, at + 3 * apart, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h31 = ((IntVector) ShortVector.fromMemorySegment(S, data, at + 3 * apart + 2L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h32 = ((IntVector) ShortVector.fromMemorySegment(S, data, at + 3 * apart + 4L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h33 = ((IntVector) ShortVector.fromMemorySegment(S, data, at + 3 * apart + 6L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            exponents = exponents.max(h00.and(HALF_EXPONENT)).max(h01.and(HALF_EXPONENT))
                    .max(h02.and(HALF_EXPONENT)).max(h03.and(HALF_EXPONENT))
                    .max(h10.and(HALF_EXPONENT)).max(h11.and(HALF_EXPONENT))
                    .max(h12.and(HALF_EXPONENT)).max(h13.and(HALF_EXPONENT))
                    .max(h20.and(HALF_EXPONENT)).max(h21.and(HALF_EXPONENT))
                    .max(h22.and(HALF_EXPONENT)).max(h23.and(HALF_EXPONENT))
                    .max(h30.and(HALF_EXPONENT)).max(h31.and(HALF_EXPONENT))
                    .max(h32.and(HALF_EXPONENT)).max(h33.and(HALF_EXPONENT));
            a00 = h00.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x0, a00);
            a01 = h01.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x1, a01);
            a02 = h02.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x2, a02);
            a03 = h03.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x3, a03);
            a10 = h10.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x0, a10);
            a11 = h11.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x1, a11);
            a12 = h12.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x2, a12);
            a13 = h13.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x3, a13);
            a20 = h20.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x0, a20);
            a21 = h21.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x1, a21);
            a22 = h22.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x2, a22);
            a23 = h23.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x3, a23);
            a30 = h30.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x0, a30);
            a31 = h31.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x1, a31);
            a32 = h32.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x2, a32);
            a33 = h33.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x3, a33);
        }
        if (exponents.reduceLanes(VectorOperators.MAX) == HALF_EXPONENT) {
            return false;
        }
        a00.add(a01).add(a02.add(a03)).intoArray(lanes, 0);
        a10.add(a11).add(a12.add(a13)).intoArray(lanes, LANES);
        a20.add(a21).add(a22.add(a23)).intoArray(lanes, 2 * LANES);
        a30.add(a31).add(a32.add(a33)).intoArray(lanes, 3 * LANES);
        VectorLanes.sumEach(lanes, 4, out, outAt, outApart);
        return true;
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
