package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/** Plain little-endian IEEE float32 rows, four bytes per value. Plain-Java implementation. */
public final class F32Format implements BlockFormat {

    @Override
    public GgmlType type() {
        return GgmlType.F32;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += data.get(LittleEndian.FLOAT, offset + 4L * i) * x[xOffset + i];
        }
        return sum;
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] out, int outOffset, int n) {
        for (int i = 0; i < n; i++) {
            out[outOffset + i] = data.get(LittleEndian.FLOAT, offset + 4L * i);
        }
    }

    @Override
    public void quantize(float[] src, int srcOffset, int n, MemorySegment data, long offset) {
        for (int i = 0; i < n; i++) {
            data.set(LittleEndian.FLOAT, offset + 4L * i, src[srcOffset + i]);
        }
    }
}
