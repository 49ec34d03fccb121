package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * ggml's Q8_0: blocks of 32 values stored in 34 bytes — a little-endian fp16 scale {@code d}
 * followed by 32 signed bytes {@code q}; value {@code i} is {@code d * q[i]}.
 *
 * <p>Encoding follows ggml's reference quantizer so bytes match llama.cpp: {@code d = amax / 127}
 * (amax = largest magnitude in the block), {@code q = round(x / d)} with halves rounded away from
 * zero, computed with the float {@code d} before it is narrowed to fp16. Plain-Java implementation.
 */
public final class Q8_0Format implements BlockFormat {

    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 34;

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        float sum = 0f;
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int xBase = xOffset + b * BLOCK;
            float blockSum = 0f;
            for (int j = 0; j < BLOCK; j++) {
                blockSum += data.get(LittleEndian.BYTE, block + 2 + j) * x[xBase + j];
            }
            sum += scale(data, block) * blockSum;
        }
        return sum;
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] out, int outOffset, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int outBase = outOffset + b * BLOCK;
            float d = scale(data, block);
            for (int j = 0; j < BLOCK; j++) {
                out[outBase + j] = d * data.get(LittleEndian.BYTE, block + 2 + j);
            }
        }
    }

    @Override
    public void quantize(float[] src, int srcOffset, int n, MemorySegment data, long offset) {
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int srcBase = srcOffset + b * BLOCK;
            float amax = 0f;
            for (int j = 0; j < BLOCK; j++) {
                amax = Math.max(amax, Math.abs(src[srcBase + j]));
            }
            float d = amax / 127f;
            float inverse = d != 0f ? 1f / d : 0f;
            data.set(LittleEndian.SHORT, block, Float.floatToFloat16(d));
            for (int j = 0; j < BLOCK; j++) {
                data.set(LittleEndian.BYTE, block + 2 + j,
                        (byte) roundHalfAwayFromZero(src[srcBase + j] * inverse));
            }
        }
    }

    /** C's {@code roundf}, which ggml uses; {@link Math#round(float)} would round -2.5 to -2. */
    static int roundHalfAwayFromZero(float v) {
        int magnitude = Math.round(Math.abs(v));
        return v < 0 ? -magnitude : magnitude;
    }

    private static float scale(MemorySegment data, long block) {
        return Float.float16ToFloat(data.get(LittleEndian.SHORT, block));
    }
}
