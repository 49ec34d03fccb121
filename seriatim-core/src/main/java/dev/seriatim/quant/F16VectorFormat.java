package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.ThreadScratch;
import dev.seriatim.tensor.VectorLanes;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * {@link F16Format} with a Vector API dot: rows widened to floats by {@link F16Format#widen},
 * then vector multiply-adds; load only when the Vector API is available.
 */
public final class F16VectorFormat implements BlockFormat {

    private static final int LANES = HalfVectors.F.length();
    private static final F16Format SCALAR = new F16Format();
    /** The widened row: a matvec makes several calls per thread. */
    private static final ThreadScratch ROW = new ThreadScratch();

    @Override
    public GgmlType type() {
        return GgmlType.F16;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        float[] w = ROW.atLeast(n);
        F16Format.widen(data, offset, w, 0, n);
        return dotFloats(w, x, xOffset, n);
    }

    /**
     * Each row as {@link #dot}, with one float scratch for all of them. Rows are widened by
     * {@link F16Format#widen} (the hardware conversion) and the multiply-adds then read floats:
     * about twice the rows per second of converting halves in registers with integer bit
     * operations, which is all the Vector API offers.
     */
    @Override
    public void dotRows(MemorySegment data, long offset, long rowBytes, int rows, float[] x, int xOffset, int n,
            float[] out, int outOffset) {
        float[] w = ROW.atLeast(n);
        for (int r = 0; r < rows; r++) {
            F16Format.widen(data, offset + r * rowBytes, w, 0, n);
            out[outOffset + r] = dotFloats(w, x, xOffset, n);
        }
    }

    /** Sum of w[i] * x[xOffset + i]: one vector accumulator, then the tail in order. */
    private static float dotFloats(float[] w, float[] x, int xOffset, int n) {
        FloatVector acc = FloatVector.zero(HalfVectors.F);
        int bound = HalfVectors.F.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            acc = FloatVector.fromArray(HalfVectors.F, w, i).fma(FloatVector.fromArray(HalfVectors.F, x, xOffset + i), acc);
        }
        float sum = VectorLanes.sum(acc);
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
