package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.VectorLanes;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

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
