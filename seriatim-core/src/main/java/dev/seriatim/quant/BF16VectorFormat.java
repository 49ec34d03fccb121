package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.VectorLanes;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * {@link BF16Format} with Vector API dot and dequantize (bfloat16 widened by a shift, see
 * {@link HalfVectors}); load only when the Vector API is available.
 */
public final class BF16VectorFormat implements BlockFormat {

    private static final int LANES = HalfVectors.F.length();
    private static final BF16Format SCALAR = new BF16Format();

    @Override
    public GgmlType type() {
        return GgmlType.BF16;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        FloatVector acc = FloatVector.zero(HalfVectors.F);
        int bound = HalfVectors.F.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector w = HalfVectors.loadBFloat16(data, offset + 2L * i);
            acc = w.fma(FloatVector.fromArray(HalfVectors.F, x, xOffset + i), acc);
        }
        float sum = VectorLanes.sum(acc);
        for (; i < n; i++) {
            sum += BFloat16.toFloat(data.get(LittleEndian.SHORT, offset + 2L * i)) * x[xOffset + i];
        }
        return sum;
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
