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
 * {@link BF16Format} with Vector API dot and dequantize (bfloat16 widened by a shift, see
 * {@link HalfVectors}); load only when the Vector API is available.
 */
public final class BF16VectorFormat implements BlockFormat {

    /** The 4 accumulators of a group of rows, stored to be summed. */
    private static final ThreadScratch LANE_SUMS = new ThreadScratch();
    private static final int LANES = HalfVectors.F.length();
    private static final BF16Format SCALAR = new BF16Format();
    private static final VectorSpecies<Float> F = HalfVectors.F;
    private static final VectorSpecies<Integer> I = HalfVectors.I;
    private static final VectorSpecies<Short> S = HalfVectors.S;
    /**
     * Whether rows go four at a time ({@link #quadDot}): its sixteen accumulators fit the 32
     * vector registers of AVX-512, not the 16 of narrower machines.
     */
    private static final boolean QUADS = LANES == 16;

    @Override
    public GgmlType type() {
        return GgmlType.BF16;
    }

    /** Four vector accumulators, as {@link F16VectorFormat}'s dot, then the tail in order. */
    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        VectorSpecies<Float> f = HalfVectors.F;
        FloatVector a0 = FloatVector.zero(f);
        FloatVector a1 = FloatVector.zero(f);
        FloatVector a2 = FloatVector.zero(f);
        FloatVector a3 = FloatVector.zero(f);
        int i = 0;
        for (int quad = n - 4 * LANES; i <= quad; i += 4 * LANES) {
            long at = offset + 2L * i;
            a0 = HalfVectors.loadBFloat16(data, at).fma(FloatVector.fromArray(f, x, xOffset + i), a0);
            a1 = HalfVectors.loadBFloat16(data, at + 2L * LANES).fma(FloatVector.fromArray(f, x, xOffset + i + LANES), a1);
            a2 = HalfVectors.loadBFloat16(data, at + 4L * LANES).fma(FloatVector.fromArray(f, x, xOffset + i + 2 * LANES), a2);
            a3 = HalfVectors.loadBFloat16(data, at + 6L * LANES).fma(FloatVector.fromArray(f, x, xOffset + i + 3 * LANES), a3);
        }
        for (int bound = f.loopBound(n); i < bound; i += LANES) {
            a0 = HalfVectors.loadBFloat16(data, offset + 2L * i).fma(FloatVector.fromArray(f, x, xOffset + i), a0);
        }
        float sum = VectorLanes.sum(a0.add(a1).add(a2.add(a3)));
        for (; i < n; i++) {
            sum += BFloat16.toFloat(data.get(LittleEndian.SHORT, offset + 2L * i)) * x[xOffset + i];
        }
        return sum;
    }

    /**
     * Each row as {@link #dot}. With 16-lane vectors, when the rows are whole blocks of four
     * vectors, rows go four at a time, a quarter of the call's rows apart ({@link #quadDot}).
     */
    @Override
    public void dotRows(MemorySegment data, long offset, long rowBytes, int rows, float[] x, int xOffset, int n,
            float[] out, int outOffset) {
        int quarter = QUADS && n % (4 * LANES) == 0 ? rows / 4 : 0;
        float[] lanes = quarter > 0 ? LANE_SUMS.atLeast(4 * F.length()) : null;
        for (int r = 0; r < quarter; r++) {
            quadDot(data, offset + r * rowBytes, quarter * rowBytes, x, xOffset, n, out, outOffset + r, quarter, lanes);
        }
        for (int r = 4 * quarter; r < rows; r++) {
            out[outOffset + r] = dot(data, offset + r * rowBytes, x, xOffset, n);
        }
    }

    /**
     * {@link #dot} of the four rows at offset + k * apart (k = 0..3), into
     * out[outAt + k * outApart], for n a multiple of four vectors (so dot's loop covers the row
     * and the bits are the same). Four rows far apart are four sequential streams from memory
     * where one row is one, and each vector of x loaded serves four rows: two threads over 268
     * MB of weights read 9.5-10.9 billion weights/s against 6.8-7.4 one row at a time, and in
     * cache 13-16% more. Written out, widening included: as a helper, the widening went over
     * C2's inlining budget and boxed the vectors (4x slower).
     */
    private static void quadDot(MemorySegment data, long offset, long apart, float[] x, int xOffset, int n,
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
        for (int i = 0; i < n; i += 4 * LANES) {
            long at0 = offset + 2L * i;
            long at1 = at0 + apart;
            long at2 = at1 + apart;
            long at3 = at2 + apart;
            FloatVector x0 = FloatVector.fromArray(F, x, xOffset + i);
            FloatVector x1 = FloatVector.fromArray(F, x, xOffset + i + 1 * LANES);
            FloatVector x2 = FloatVector.fromArray(F, x, xOffset + i + 2 * LANES);
            FloatVector x3 = FloatVector.fromArray(F, x, xOffset + i + 3 * LANES);
            a00 = ((IntVector) ShortVector.fromMemorySegment(S, data, at0, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats().fma(x0, a00);
            a01 = ((IntVector) ShortVector.fromMemorySegment(S, data, at0 + 2L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats().fma(x1, a01);
            a02 = ((IntVector) ShortVector.fromMemorySegment(S, data, at0 + 4L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats().fma(x2, a02);
            a03 = ((IntVector) ShortVector.fromMemorySegment(S, data, at0 + 6L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats().fma(x3, a03);
            a10 = ((IntVector) ShortVector.fromMemorySegment(S, data, at1, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats().fma(x0, a10);
            a11 = ((IntVector) ShortVector.fromMemorySegment(S, data, at1 + 2L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats().fma(x1, a11);
            a12 = ((IntVector) ShortVector.fromMemorySegment(S, data, at1 + 4L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats().fma(x2, a12);
            a13 = ((IntVector) ShortVector.fromMemorySegment(S, data, at1 + 6L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats().fma(x3, a13);
            a20 = ((IntVector) ShortVector.fromMemorySegment(S, data, at2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats().fma(x0, a20);
            a21 = ((IntVector) ShortVector.fromMemorySegment(S, data, at2 + 2L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats().fma(x1, a21);
            a22 = ((IntVector) ShortVector.fromMemorySegment(S, data, at2 + 4L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats().fma(x2, a22);
            a23 = ((IntVector) ShortVector.fromMemorySegment(S, data, at2 + 6L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats().fma(x3, a23);
            a30 = ((IntVector) ShortVector.fromMemorySegment(S, data, at3, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats().fma(x0, a30);
            a31 = ((IntVector) ShortVector.fromMemorySegment(S, data, at3 + 2L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats().fma(x1, a31);
            a32 = ((IntVector) ShortVector.fromMemorySegment(S, data, at3 + 4L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats().fma(x2, a32);
            a33 = ((IntVector) ShortVector.fromMemorySegment(S, data, at3 + 6L * LANES, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats().fma(x3, a33);
        }
        // stored and summed by VectorLanes.sumEach: this method is too large for C2 to inline
        // VectorLanes.sum, and a call taking a vector would box it per row (in the Q4_0 and
        // Q8_0 kernels 12-14% of a stories110M-shape token, measured)
        int w = F.length();
        a00.add(a01).add(a02.add(a03)).intoArray(lanes, 0);
        a10.add(a11).add(a12.add(a13)).intoArray(lanes, 1 * w);
        a20.add(a21).add(a22.add(a23)).intoArray(lanes, 2 * w);
        a30.add(a31).add(a32.add(a33)).intoArray(lanes, 3 * w);
        VectorLanes.sumEach(lanes, 4, out, outAt, outApart);
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] out, int outOffset, int n) {
        int bound = HalfVectors.F.loopBound(n);
        for (int i = 0; i < bound; i += LANES) {
            HalfVectors.loadBFloat16(data, offset + 2L * i).intoArray(out, outOffset + i);
        }
        SCALAR.dequantize(data, offset + 2L * bound, out, outOffset + bound, n - bound);
    }

    @Override
    public void quantize(float[] src, int srcOffset, int n, MemorySegment data, long offset) {
        SCALAR.quantize(src, srcOffset, n, data, offset);
    }
}
