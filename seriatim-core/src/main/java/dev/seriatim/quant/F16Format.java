package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * IEEE 754 binary16 ("half") rows, two little-endian bytes per value: 1 sign bit, 5 exponent
 * bits (bias 15), 10 fraction bits. Encoding rounds to nearest-even via
 * {@link Float#floatToFloat16}. Plain-Java implementation.
 */
public final class F16Format implements BlockFormat {

    @Override
    public GgmlType type() {
        return GgmlType.F16;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            float w = Float.float16ToFloat(data.get(LittleEndian.SHORT, offset + 2L * i));
            sum += w * x[xOffset + i];
        }
        return sum;
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] out, int outOffset, int n) {
        widen(data, offset, out, outOffset, n);
    }

    /**
     * Writes the n halves at {@code offset} to out as floats. With an even offset the loop is
     * one that C2 compiles to the hardware's half-to-float vector instruction (an int counter
     * over {@code getAtIndex} into an array), which the Vector API does not offer. Dequantizing
     * (rows into an array) uses this; the vector dot widens in registers instead.
     */
    static void widen(MemorySegment data, long offset, float[] out, int outOffset, int n) {
        if ((offset & 1) == 0) {
            long first = offset >>> 1;
            for (int i = 0; i < n; i++) {
                out[outOffset + i] = Float.float16ToFloat(data.getAtIndex(LittleEndian.SHORT, first + i));
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[outOffset + i] = Float.float16ToFloat(data.get(LittleEndian.SHORT, offset + 2L * i));
            }
        }
    }

    @Override
    public void quantize(float[] src, int srcOffset, int n, MemorySegment data, long offset) {
        for (int i = 0; i < n; i++) {
            data.set(LittleEndian.SHORT, offset + 2L * i, Float.floatToFloat16(src[srcOffset + i]));
        }
    }
}
