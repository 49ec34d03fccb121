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
 * holding one is done again by widening it to floats first and summing in the same order.
 * Against widening each row to a float scratch with {@link F16Format#widen} and then
 * multiplying (a store and two loads per vector, where this has one load of halves and one of
 * x), in billions of weights/s: one thread in cache 10.5 to 13.0 (rows of 2048) and 7.8 to 14.0
 * (rows of 8192, whose 32 KiB scratch did not stay in L1); two threads from memory 17.9 to
 * 19.6-24 and 7.7 to 10.8.
 */
public final class F16VectorFormat implements BlockFormat {

    private static final VectorSpecies<Float> F = HalfVectors.F;
    private static final VectorSpecies<Integer> I = HalfVectors.I;
    private static final VectorSpecies<Short> S = HalfVectors.S;
    private static final int LANES = F.length();
    private static final F16Format SCALAR = new F16Format();
    /** Bytes of one vector's worth of halves. */
    private static final int HALVES_BYTES = 2 * LANES;
    /** The sign, exponent and mantissa of a half once its bits are shifted left by 13. */
    private static final int HALF_BITS = 0x8FFFE000;
    /** A half's exponent field, shifted left by 13: all ones for infinity and NaN. */
    private static final int HALF_EXPONENT = 0x0F800000;
    /** Whether rows may go eight at a time: 16 accumulators and the loads fit in 32 registers. */
    private static final boolean OCTS = LANES == 16;
    /** The eight accumulators of {@link #octDot}, stored to be summed. */
    private static final ThreadScratch LANE_SUMS = new ThreadScratch();
    /** x times 2^112, for {@link #octDotFinite}. */
    private static final ThreadScratch SCALED_X = new ThreadScratch();
    /** The second token's x times 2^112, for {@link #quadPairDotFinite}. */
    private static final ThreadScratch SCALED_X_SECOND = new ThreadScratch();
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
     * Each row as {@link #dot}. With 16-lane vectors, rows made of whole pairs of vectors go
     * eight at a time, an eighth of the call's rows apart ({@link #octDot}); eight rows holding an
     * infinity or NaN are redone one by one.
     */
    @Override
    public void dotRows(MemorySegment data, long offset, long rowBytes, int rows, float[] x, int xOffset, int n,
            float[] out, int outOffset) {
        int eighth = OCTS && n % (2 * LANES) == 0 ? rows / 8 : 0;
        if (eighth > 0) {
            float[] lanes = LANE_SUMS.atLeast(8 * LANES);
            for (int r = 0; r < eighth; r++) {
                if (!octDot(data, offset + r * rowBytes, eighth * rowBytes, x, xOffset, n, out, outOffset + r, eighth,
                        lanes)) {
                    for (int k = 0; k < 8; k++) {
                        int row = r + k * eighth;
                        out[outOffset + row] = dot(data, offset + row * rowBytes, x, xOffset, n);
                    }
                }
            }
        }
        for (int r = 8 * eighth; r < rows; r++) {
            out[outOffset + r] = dot(data, offset + r * rowBytes, x, xOffset, n);
        }
    }

    @Override
    public boolean looksForNonFinite() {
        return true;
    }

    /** Looks at every half's exponent: all ones is an infinity or NaN. */
    @Override
    public boolean allFinite(MemorySegment data, long offset, long rowBytes, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            long at = offset + r * rowBytes;
            IntVector exponents = IntVector.zero(I);
            int i = 0;
            for (int bound = F.loopBound(n); i < bound; i += LANES) {
                exponents = exponents.max(shiftedHalves(data, at + 2L * i).and(HALF_EXPONENT));
            }
            if (exponents.reduceLanes(VectorOperators.MAX) == HALF_EXPONENT) {
                return false;
            }
            for (; i < n; i++) {
                if ((data.get(LittleEndian.SHORT, at + 2L * i) & 0x7C00) == 0x7C00) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * {@link #dotRows} with eight rows at a time going through {@link #octDotFinite}, when x
     * times 2^112 stays finite; otherwise, and for the rows left over, dotRows.
     */
    @Override
    public void dotFiniteRows(MemorySegment data, long offset, long rowBytes, int rows, float[] x, int xOffset, int n,
            float[] out, int outOffset) {
        int eighth = OCTS && n % (2 * LANES) == 0 ? rows / 8 : 0;
        float[] xs = eighth > 0 ? SCALED_X.atLeast(n) : null;
        if (eighth == 0 || !scaledUp(x, xOffset, n, xs)) {
            dotRows(data, offset, rowBytes, rows, x, xOffset, n, out, outOffset);
            return;
        }
        float[] lanes = LANE_SUMS.atLeast(8 * LANES);
        for (int r = 0; r < eighth; r++) {
            octDotFinite(data, offset + r * rowBytes, eighth * rowBytes, xs, n, out, outOffset + r, eighth, lanes);
        }
        if (8 * eighth < rows) {
            dotRows(data, offset + 8 * eighth * rowBytes, rowBytes, rows - 8 * eighth, x, xOffset, n, out,
                    outOffset + 8 * eighth);
        }
    }

    /**
     * Each token's {@link #dotFiniteRows}, from {@link #PAIRS_FROM_TOKENS} tokens two at a time
     * where both scale up: four rows a
     * quarter of the call's rows apart ({@link #quadPairDotFinite}) widen each vector of halves
     * once for both tokens, and the rows left over by the quarters go through dotFiniteRows per
     * token, as does a last odd token.
     */
    @Override
    public void dotFiniteRowsTokens(MemorySegment data, long offset, long rowBytes, int rows, float[] x, int xOffset,
            int n, int tokens, float[] out, int outOffset, int outApart) {
        int quarter = OCTS && n % (2 * LANES) == 0 && tokens >= PAIRS_FROM_TOKENS ? rows / 4 : 0;
        for (int t = 0; t < tokens; t++) {
            int xa = xOffset + t * n;
            int outA = outOffset + t * outApart;
            float[] first = quarter > 0 && t + 1 < tokens ? SCALED_X.atLeast(n) : null;
            float[] second = first != null ? SCALED_X_SECOND.atLeast(n) : null;
            if (first == null || !scaledUp(x, xa, n, first) || !scaledUp(x, xa + n, n, second)) {
                dotFiniteRows(data, offset, rowBytes, rows, x, xa, n, out, outA);
                continue;
            }
            float[] lanes = LANE_SUMS.atLeast(8 * LANES);
            for (int r = 0; r < quarter; r++) {
                quadPairDotFinite(data, offset + r * rowBytes, quarter * rowBytes, first, second, n, out, outA + r,
                        outApart, quarter, lanes);
            }
            if (4 * quarter < rows) {
                for (int u = t; u <= t + 1; u++) {
                    dotFiniteRows(data, offset + 4 * quarter * rowBytes, rowBytes, rows - 4 * quarter, x,
                            xOffset + u * n, n, out, outOffset + u * outApart + 4 * quarter);
                }
            }
            t++;
        }
    }

    /**
     * {@link #octDotFinite}'s sums of the four rows at offset + k * apart (k = 0..3) with two
     * tokens' x * 2^112, xa into out[outAt + k * outApart] and xb into out[outAt + tokenApart +
     * k * outApart]: each vector of halves is widened once for both tokens, every sum in the
     * single-token order. Written out, as octDotFinite is, so that C2 keeps the vectors in
     * registers.
     */
    private static void quadPairDotFinite(MemorySegment data, long offset, long apart, float[] xa, float[] xb, int n,
            float[] out, int outAt, int tokenApart, int outApart, float[] lanes) {
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        FloatVector b00 = a00;
        FloatVector b01 = a00;
        FloatVector b10 = a00;
        FloatVector b11 = a00;
        FloatVector b20 = a00;
        FloatVector b21 = a00;
        FloatVector b30 = a00;
        FloatVector b31 = a00;
        for (int i = 0; i < n; i += 2 * LANES) {
            long at0 = offset + 2L * i;
            long at1 = at0 + apart;
            long at2 = at1 + apart;
            long at3 = at2 + apart;
            FloatVector xa0 = FloatVector.fromArray(F, xa, i);
            FloatVector xa1 = FloatVector.fromArray(F, xa, i + LANES);
            FloatVector xb0 = FloatVector.fromArray(F, xb, i);
            FloatVector xb1 = FloatVector.fromArray(F, xb, i + LANES);
            FloatVector w0 = ((IntVector) ShortVector.fromMemorySegment(S, data, at0, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13).and(HALF_BITS)
                    .reinterpretAsFloats();
            FloatVector w1 = ((IntVector) ShortVector.fromMemorySegment(S, data, at0 + HALVES_BYTES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13).and(HALF_BITS)
                    .reinterpretAsFloats();
            a00 = w0.fma(xa0, a00);
            a01 = w1.fma(xa1, a01);
            b00 = w0.fma(xb0, b00);
            b01 = w1.fma(xb1, b01);
            w0 = ((IntVector) ShortVector.fromMemorySegment(S, data, at1, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13).and(HALF_BITS)
                    .reinterpretAsFloats();
            w1 = ((IntVector) ShortVector.fromMemorySegment(S, data, at1 + HALVES_BYTES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13).and(HALF_BITS)
                    .reinterpretAsFloats();
            a10 = w0.fma(xa0, a10);
            a11 = w1.fma(xa1, a11);
            b10 = w0.fma(xb0, b10);
            b11 = w1.fma(xb1, b11);
            w0 = ((IntVector) ShortVector.fromMemorySegment(S, data, at2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13).and(HALF_BITS)
                    .reinterpretAsFloats();
            w1 = ((IntVector) ShortVector.fromMemorySegment(S, data, at2 + HALVES_BYTES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13).and(HALF_BITS)
                    .reinterpretAsFloats();
            a20 = w0.fma(xa0, a20);
            a21 = w1.fma(xa1, a21);
            b20 = w0.fma(xb0, b20);
            b21 = w1.fma(xb1, b21);
            w0 = ((IntVector) ShortVector.fromMemorySegment(S, data, at3, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13).and(HALF_BITS)
                    .reinterpretAsFloats();
            w1 = ((IntVector) ShortVector.fromMemorySegment(S, data, at3 + HALVES_BYTES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13).and(HALF_BITS)
                    .reinterpretAsFloats();
            a30 = w0.fma(xa0, a30);
            a31 = w1.fma(xa1, a31);
            b30 = w0.fma(xb0, b30);
            b31 = w1.fma(xb1, b31);
        }
        a00.add(a01).intoArray(lanes, 0);
        a10.add(a11).intoArray(lanes, LANES);
        a20.add(a21).intoArray(lanes, 2 * LANES);
        a30.add(a31).intoArray(lanes, 3 * LANES);
        VectorLanes.sumEach(lanes, 4, out, outAt, outApart);
        b00.add(b01).intoArray(lanes, 0);
        b10.add(b11).intoArray(lanes, LANES);
        b20.add(b21).intoArray(lanes, 2 * LANES);
        b30.add(b31).intoArray(lanes, 3 * LANES);
        VectorLanes.sumEach(lanes, 4, out, outAt + tokenApart, outApart);
    }

    /**
     * xs[0 .. n) = x[xOffset ..] * 2^112; false when some |x| is 2^16 or more, or NaN, where the
     * product would overflow (n is a multiple of the vector length).
     */
    private static boolean scaledUp(float[] x, int xOffset, int n, float[] xs) {
        FloatVector largest = FloatVector.zero(F);
        for (int i = 0; i < n; i += LANES) {
            FloatVector v = FloatVector.fromArray(F, x, xOffset + i);
            largest = largest.max(v.abs());
            v.mul(0x1p112f).intoArray(xs, i);
        }
        return largest.reduceLanes(VectorOperators.MAX) < 0x1p16f;
    }

    /**
     * {@link #rowDot} of the eight rows at offset + k * apart (k = 0..7) into
     * out[outAt + k * outApart], for n a multiple of two vectors, each row's sums in rowDot's
     * order (so the same bits); false, with nothing written, when one of them holds an infinity or
     * NaN. Each vector of x loaded serves eight rows, and eight streams come from memory. Four
     * rows at a time (four accumulators each) first: for rows of 8192 (a Llama-3.2-1B-shape down
     * projection, whose 32 KiB of x does not stay in L1 beside the streaming weights) two threads
     * read 16.3 billion weights/s from memory against 10.7 one row at a time, for rows of 768 21.0
     * against 15.6 (rows of 2048: 18.0 against 23.9); generation +20% (stories110M shape) and
     * +10-29% (1B shape). Eight rows then gave 1B generation another +3-5%. Written out,
     * widening included: with a helper for the widening C2 ran out of inlining budget and boxed
     * the vectors (3-9x slower).
     */
    private static boolean octDot(MemorySegment data, long offset, long apart, float[] x, int xOffset, int n,
            float[] out, int outAt, int outApart, float[] lanes) {
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F);
        FloatVector a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F);
        FloatVector a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F);
        FloatVector a31 = FloatVector.zero(F);
        FloatVector a40 = FloatVector.zero(F);
        FloatVector a41 = FloatVector.zero(F);
        FloatVector a50 = FloatVector.zero(F);
        FloatVector a51 = FloatVector.zero(F);
        FloatVector a60 = FloatVector.zero(F);
        FloatVector a61 = FloatVector.zero(F);
        FloatVector a70 = FloatVector.zero(F);
        FloatVector a71 = FloatVector.zero(F);
        IntVector exponents = IntVector.zero(I);
        for (int i = 0; i < n; i += 2 * LANES) {
            long at0 = offset + 2L * i;
            long at1 = at0 + apart;
            long at2 = at1 + apart;
            long at3 = at2 + apart;
            long at4 = at3 + apart;
            long at5 = at4 + apart;
            long at6 = at5 + apart;
            long at7 = at6 + apart;
            FloatVector x0 = FloatVector.fromArray(F, x, xOffset + i);
            FloatVector x1 = FloatVector.fromArray(F, x, xOffset + i + LANES);
            IntVector h00 = ((IntVector) ShortVector.fromMemorySegment(S, data, at0, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h01 = ((IntVector) ShortVector.fromMemorySegment(S, data, at0 + HALVES_BYTES,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13);
            IntVector h10 = ((IntVector) ShortVector.fromMemorySegment(S, data, at1, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h11 = ((IntVector) ShortVector.fromMemorySegment(S, data, at1 + HALVES_BYTES,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13);
            IntVector h20 = ((IntVector) ShortVector.fromMemorySegment(S, data, at2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h21 = ((IntVector) ShortVector.fromMemorySegment(S, data, at2 + HALVES_BYTES,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13);
            IntVector h30 = ((IntVector) ShortVector.fromMemorySegment(S, data, at3, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h31 = ((IntVector) ShortVector.fromMemorySegment(S, data, at3 + HALVES_BYTES,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13);
            IntVector h40 = ((IntVector) ShortVector.fromMemorySegment(S, data, at4, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h41 = ((IntVector) ShortVector.fromMemorySegment(S, data, at4 + HALVES_BYTES,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13);
            IntVector h50 = ((IntVector) ShortVector.fromMemorySegment(S, data, at5, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h51 = ((IntVector) ShortVector.fromMemorySegment(S, data, at5 + HALVES_BYTES,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13);
            IntVector h60 = ((IntVector) ShortVector.fromMemorySegment(S, data, at6, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h61 = ((IntVector) ShortVector.fromMemorySegment(S, data, at6 + HALVES_BYTES,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13);
            IntVector h70 = ((IntVector) ShortVector.fromMemorySegment(S, data, at7, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h71 = ((IntVector) ShortVector.fromMemorySegment(S, data, at7 + HALVES_BYTES,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13);
            exponents = exponents.max(h00.and(HALF_EXPONENT)).max(h01.and(HALF_EXPONENT))
                    .max(h10.and(HALF_EXPONENT)).max(h11.and(HALF_EXPONENT))
                    .max(h20.and(HALF_EXPONENT)).max(h21.and(HALF_EXPONENT))
                    .max(h30.and(HALF_EXPONENT)).max(h31.and(HALF_EXPONENT))
                    .max(h40.and(HALF_EXPONENT)).max(h41.and(HALF_EXPONENT))
                    .max(h50.and(HALF_EXPONENT)).max(h51.and(HALF_EXPONENT))
                    .max(h60.and(HALF_EXPONENT)).max(h61.and(HALF_EXPONENT))
                    .max(h70.and(HALF_EXPONENT)).max(h71.and(HALF_EXPONENT));
            a00 = h00.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x0, a00);
            a01 = h01.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x1, a01);
            a10 = h10.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x0, a10);
            a11 = h11.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x1, a11);
            a20 = h20.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x0, a20);
            a21 = h21.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x1, a21);
            a30 = h30.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x0, a30);
            a31 = h31.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x1, a31);
            a40 = h40.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x0, a40);
            a41 = h41.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x1, a41);
            a50 = h50.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x0, a50);
            a51 = h51.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x1, a51);
            a60 = h60.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x0, a60);
            a61 = h61.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x1, a61);
            a70 = h70.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x0, a70);
            a71 = h71.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(x1, a71);
        }
        if (exponents.reduceLanes(VectorOperators.MAX) == HALF_EXPONENT) {
            return false;
        }
        a00.add(a01).intoArray(lanes, 0 * LANES);
        a10.add(a11).intoArray(lanes, 1 * LANES);
        a20.add(a21).intoArray(lanes, 2 * LANES);
        a30.add(a31).intoArray(lanes, 3 * LANES);
        a40.add(a41).intoArray(lanes, 4 * LANES);
        a50.add(a51).intoArray(lanes, 5 * LANES);
        a60.add(a61).intoArray(lanes, 6 * LANES);
        a70.add(a71).intoArray(lanes, 7 * LANES);
        VectorLanes.sumEach(lanes, 8, out, outAt, outApart);
        return true;
    }

    /**
     * {@link #octDot} of rows known to hold only finite halves, with xs = x * 2^112 (exact: every
     * |x| is below 2^16): the widened halves stay 2^112 times too small and xs makes up for it in
     * the product, which a fused multiply-add takes exactly, so the sums are octDot's bit for bit,
     * for two vector operations less per vector of halves (the multiply and the exponent check).
     * One thread in cache, rows of 2048: dotRows 13.3-13.6, dotFiniteRows 19.0-19.2 billion
     * weights/s. Written out beside octDot rather than folded into it behind a flag: the folded
     * kernel measured 20.1 in that harness but slower in generation, seven runs of seven
     * (stories110M-shape F16: 124-133 against 136-158 tokens/s).
     */
    private static void octDotFinite(MemorySegment data, long offset, long apart, float[] xs, int n, float[] out,
            int outAt, int outApart, float[] lanes) {
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F);
        FloatVector a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F);
        FloatVector a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F);
        FloatVector a31 = FloatVector.zero(F);
        FloatVector a40 = FloatVector.zero(F);
        FloatVector a41 = FloatVector.zero(F);
        FloatVector a50 = FloatVector.zero(F);
        FloatVector a51 = FloatVector.zero(F);
        FloatVector a60 = FloatVector.zero(F);
        FloatVector a61 = FloatVector.zero(F);
        FloatVector a70 = FloatVector.zero(F);
        FloatVector a71 = FloatVector.zero(F);
        for (int i = 0; i < n; i += 2 * LANES) {
            long at0 = offset + 2L * i;
            long at1 = at0 + apart;
            long at2 = at1 + apart;
            long at3 = at2 + apart;
            long at4 = at3 + apart;
            long at5 = at4 + apart;
            long at6 = at5 + apart;
            long at7 = at6 + apart;
            FloatVector x0 = FloatVector.fromArray(F, xs, i);
            FloatVector x1 = FloatVector.fromArray(F, xs, i + LANES);
            IntVector h00 = ((IntVector) ShortVector.fromMemorySegment(S, data, at0, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h01 = ((IntVector) ShortVector.fromMemorySegment(S, data, at0 + HALVES_BYTES,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13);
            IntVector h10 = ((IntVector) ShortVector.fromMemorySegment(S, data, at1, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h11 = ((IntVector) ShortVector.fromMemorySegment(S, data, at1 + HALVES_BYTES,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13);
            IntVector h20 = ((IntVector) ShortVector.fromMemorySegment(S, data, at2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h21 = ((IntVector) ShortVector.fromMemorySegment(S, data, at2 + HALVES_BYTES,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13);
            IntVector h30 = ((IntVector) ShortVector.fromMemorySegment(S, data, at3, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h31 = ((IntVector) ShortVector.fromMemorySegment(S, data, at3 + HALVES_BYTES,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13);
            IntVector h40 = ((IntVector) ShortVector.fromMemorySegment(S, data, at4, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h41 = ((IntVector) ShortVector.fromMemorySegment(S, data, at4 + HALVES_BYTES,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13);
            IntVector h50 = ((IntVector) ShortVector.fromMemorySegment(S, data, at5, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h51 = ((IntVector) ShortVector.fromMemorySegment(S, data, at5 + HALVES_BYTES,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13);
            IntVector h60 = ((IntVector) ShortVector.fromMemorySegment(S, data, at6, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h61 = ((IntVector) ShortVector.fromMemorySegment(S, data, at6 + HALVES_BYTES,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13);
            IntVector h70 = ((IntVector) ShortVector.fromMemorySegment(S, data, at7, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13);
            IntVector h71 = ((IntVector) ShortVector.fromMemorySegment(S, data, at7 + HALVES_BYTES,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13);
            a00 = h00.and(HALF_BITS).reinterpretAsFloats().fma(x0, a00);
            a01 = h01.and(HALF_BITS).reinterpretAsFloats().fma(x1, a01);
            a10 = h10.and(HALF_BITS).reinterpretAsFloats().fma(x0, a10);
            a11 = h11.and(HALF_BITS).reinterpretAsFloats().fma(x1, a11);
            a20 = h20.and(HALF_BITS).reinterpretAsFloats().fma(x0, a20);
            a21 = h21.and(HALF_BITS).reinterpretAsFloats().fma(x1, a21);
            a30 = h30.and(HALF_BITS).reinterpretAsFloats().fma(x0, a30);
            a31 = h31.and(HALF_BITS).reinterpretAsFloats().fma(x1, a31);
            a40 = h40.and(HALF_BITS).reinterpretAsFloats().fma(x0, a40);
            a41 = h41.and(HALF_BITS).reinterpretAsFloats().fma(x1, a41);
            a50 = h50.and(HALF_BITS).reinterpretAsFloats().fma(x0, a50);
            a51 = h51.and(HALF_BITS).reinterpretAsFloats().fma(x1, a51);
            a60 = h60.and(HALF_BITS).reinterpretAsFloats().fma(x0, a60);
            a61 = h61.and(HALF_BITS).reinterpretAsFloats().fma(x1, a61);
            a70 = h70.and(HALF_BITS).reinterpretAsFloats().fma(x0, a70);
            a71 = h71.and(HALF_BITS).reinterpretAsFloats().fma(x1, a71);
        }
        a00.add(a01).intoArray(lanes, 0 * LANES);
        a10.add(a11).intoArray(lanes, 1 * LANES);
        a20.add(a21).intoArray(lanes, 2 * LANES);
        a30.add(a31).intoArray(lanes, 3 * LANES);
        a40.add(a41).intoArray(lanes, 4 * LANES);
        a50.add(a51).intoArray(lanes, 5 * LANES);
        a60.add(a61).intoArray(lanes, 6 * LANES);
        a70.add(a71).intoArray(lanes, 7 * LANES);
        VectorLanes.sumEach(lanes, 8, out, outAt, outApart);
    }

    /**
     * Sum of row[i] * x[xOffset + i], the halves widened in registers: two vector accumulators
     * over pairs of vectors (so that {@link #octDot}'s sixteen fit the registers; one chain of
     * dependent multiply-adds would wait on each one's latency), the rest of the vectors into the
     * first, then the tail in order. NaN when the row holds an infinity or NaN, whose widening
     * here is wrong: the caller then widens exactly.
     */
    private static float rowDot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        IntVector exponents = IntVector.zero(I);
        int i = 0;
        for (int pair = n - 2 * LANES; i <= pair; i += 2 * LANES) {
            long at = offset + 2L * i;
            IntVector h0 = shiftedHalves(data, at);
            IntVector h1 = shiftedHalves(data, at + 2L * LANES);
            exponents = exponents.max(h0.and(HALF_EXPONENT)).max(h1.and(HALF_EXPONENT));
            a0 = h0.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f)
                    .fma(FloatVector.fromArray(F, x, xOffset + i), a0);
            a1 = h1.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f)
                    .fma(FloatVector.fromArray(F, x, xOffset + i + LANES), a1);
        }
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            IntVector h = shiftedHalves(data, offset + 2L * i);
            exponents = exponents.max(h.and(HALF_EXPONENT));
            a0 = h.and(HALF_BITS).reinterpretAsFloats().mul(0x1p112f).fma(FloatVector.fromArray(F, x, xOffset + i), a0);
        }
        if (exponents.reduceLanes(VectorOperators.MAX) == HALF_EXPONENT) {
            return Float.NaN;
        }
        float sum = VectorLanes.sum(a0.add(a1));
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
        int i = 0;
        for (int pair = n - 2 * LANES; i <= pair; i += 2 * LANES) {
            a0 = FloatVector.fromArray(F, w, i).fma(FloatVector.fromArray(F, x, xOffset + i), a0);
            a1 = FloatVector.fromArray(F, w, i + LANES).fma(FloatVector.fromArray(F, x, xOffset + i + LANES), a1);
        }
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            a0 = FloatVector.fromArray(F, w, i).fma(FloatVector.fromArray(F, x, xOffset + i), a0);
        }
        float sum = VectorLanes.sum(a0.add(a1));
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
