package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.VectorLanes;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link F32Format} with a Vector API dot product; load only when the Vector API is available. */
public final class F32VectorFormat implements BlockFormat {

    private static final VectorSpecies<Float> F = VectorLanes.FLOAT;
    private static final F32Format SCALAR = new F32Format();

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
