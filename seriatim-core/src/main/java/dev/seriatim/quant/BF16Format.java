package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * bfloat16 rows, two little-endian bytes per value holding the upper half of a float32; see
 * {@link BFloat16} for the rounding. Plain-Java implementation.
 */
public final class BF16Format implements BlockFormat {

    @Override
    public GgmlType type() {
        return GgmlType.BF16;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            float w = BFloat16.toFloat(data.get(LittleEndian.SHORT, offset + 2L * i));
            sum += w * x[xOffset + i];
        }
        return sum;
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] out, int outOffset, int n) {
        for (int i = 0; i < n; i++) {
            out[outOffset + i] = BFloat16.toFloat(data.get(LittleEndian.SHORT, offset + 2L * i));
        }
    }

    @Override
    public void quantize(float[] src, int srcOffset, int n, MemorySegment data, long offset) {
        for (int i = 0; i < n; i++) {
            data.set(LittleEndian.SHORT, offset + 2L * i, BFloat16.fromFloat(src[srcOffset + i]));
        }
    }
}
