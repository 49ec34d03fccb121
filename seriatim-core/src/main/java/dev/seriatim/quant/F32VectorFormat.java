package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.ThreadScratch;
import dev.seriatim.tensor.VectorLanes;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link F32Format} with a Vector API dot product; load only when the Vector API is available. */
public final class F32VectorFormat implements BlockFormat {

    /** The 4 accumulators of a group of rows, stored to be summed. */
    private static final ThreadScratch LANE_SUMS = new ThreadScratch();
    private static final VectorSpecies<Float> F = VectorLanes.FLOAT;
    private static final F32Format SCALAR = new F32Format();
    private static final int LANES = F.length();
    /**
     * Whether rows go four at a time ({@link #quadDot}): its sixteen accumulators fit the 32
     * vector registers of AVX-512, not the 16 of narrower machines.
     */
    private static final boolean QUADS = LANES == 16;

    @Override
    public GgmlType type() {
        return GgmlType.F32;
    }

    /** Four vector accumulators, as {@link F16VectorFormat}'s dot, then the tail in order. */
    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        int lanes = F.length();
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        int i = 0;
        for (int quad = n - 4 * lanes; i <= quad; i += 4 * lanes) {
            long at = offset + 4L * i;
            a0 = load(data, at).fma(FloatVector.fromArray(F, x, xOffset + i), a0);
            a1 = load(data, at + 4L * lanes).fma(FloatVector.fromArray(F, x, xOffset + i + lanes), a1);
            a2 = load(data, at + 8L * lanes).fma(FloatVector.fromArray(F, x, xOffset + i + 2 * lanes), a2);
            a3 = load(data, at + 12L * lanes).fma(FloatVector.fromArray(F, x, xOffset + i + 3 * lanes), a3);
        }
        for (int bound = F.loopBound(n); i < bound; i += lanes) {
            a0 = load(data, offset + 4L * i).fma(FloatVector.fromArray(F, x, xOffset + i), a0);
        }
        float sum = VectorLanes.sum(a0.add(a1).add(a2.add(a3)));
        for (; i < n; i++) {
            sum += data.get(LittleEndian.FLOAT, offset + 4L * i) * x[xOffset + i];
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
     * and the bits are the same): four streams from memory where one row is one, and each vector
     * of x loaded serves four rows (as {@code BF16VectorFormat.quadDot}). Written out, loads
     * included, to stay within C2's inlining budget.
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
            long at0 = offset + 4L * i;
            long at1 = at0 + apart;
            long at2 = at1 + apart;
            long at3 = at2 + apart;
            FloatVector x0 = FloatVector.fromArray(F, x, xOffset + i);
            FloatVector x1 = FloatVector.fromArray(F, x, xOffset + i + 1 * LANES);
            FloatVector x2 = FloatVector.fromArray(F, x, xOffset + i + 2 * LANES);
            FloatVector x3 = FloatVector.fromArray(F, x, xOffset + i + 3 * LANES);
            a00 = FloatVector.fromMemorySegment(F, data, at0, ByteOrder.LITTLE_ENDIAN).fma(x0, a00);
            a01 = FloatVector.fromMemorySegment(F, data, at0 + 4L * LANES, ByteOrder.LITTLE_ENDIAN).fma(x1, a01);
            a02 = FloatVector.fromMemorySegment(F, data, at0 + 8L * LANES, ByteOrder.LITTLE_ENDIAN).fma(x2, a02);
            a03 = FloatVector.fromMemorySegment(F, data, at0 + 12L * LANES, ByteOrder.LITTLE_ENDIAN).fma(x3, a03);
            a10 = FloatVector.fromMemorySegment(F, data, at1, ByteOrder.LITTLE_ENDIAN).fma(x0, a10);
            a11 = FloatVector.fromMemorySegment(F, data, at1 + 4L * LANES, ByteOrder.LITTLE_ENDIAN).fma(x1, a11);
            a12 = FloatVector.fromMemorySegment(F, data, at1 + 8L * LANES, ByteOrder.LITTLE_ENDIAN).fma(x2, a12);
            a13 = FloatVector.fromMemorySegment(F, data, at1 + 12L * LANES, ByteOrder.LITTLE_ENDIAN).fma(x3, a13);
            a20 = FloatVector.fromMemorySegment(F, data, at2, ByteOrder.LITTLE_ENDIAN).fma(x0, a20);
            a21 = FloatVector.fromMemorySegment(F, data, at2 + 4L * LANES, ByteOrder.LITTLE_ENDIAN).fma(x1, a21);
            a22 = FloatVector.fromMemorySegment(F, data, at2 + 8L * LANES, ByteOrder.LITTLE_ENDIAN).fma(x2, a22);
            a23 = FloatVector.fromMemorySegment(F, data, at2 + 12L * LANES, ByteOrder.LITTLE_ENDIAN).fma(x3, a23);
            a30 = FloatVector.fromMemorySegment(F, data, at3, ByteOrder.LITTLE_ENDIAN).fma(x0, a30);
            a31 = FloatVector.fromMemorySegment(F, data, at3 + 4L * LANES, ByteOrder.LITTLE_ENDIAN).fma(x1, a31);
            a32 = FloatVector.fromMemorySegment(F, data, at3 + 8L * LANES, ByteOrder.LITTLE_ENDIAN).fma(x2, a32);
            a33 = FloatVector.fromMemorySegment(F, data, at3 + 12L * LANES, ByteOrder.LITTLE_ENDIAN).fma(x3, a33);
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

    private static FloatVector load(MemorySegment data, long at) {
        return FloatVector.fromMemorySegment(F, data, at, ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] out, int outOffset, int n) {
        MemorySegment.copy(data, LittleEndian.FLOAT, offset, out, outOffset, n);
    }

    @Override
    public void quantize(float[] src, int srcOffset, int n, MemorySegment data, long offset) {
        SCALAR.quantize(src, srcOffset, n, data, offset);
    }
}
