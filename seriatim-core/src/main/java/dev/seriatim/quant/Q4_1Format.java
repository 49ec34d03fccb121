package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * ggml's Q4_1: blocks of 32 values in 20 bytes — fp16 scale {@code d}, fp16 offset {@code m},
 * then 16 bytes of 4-bit codes (byte {@code j}: element {@code j} in the low nibble, element
 * {@code j + 16} in the high one); value is {@code (d * q) + m}, each step rounded to float.
 *
 * <p>Encoding follows ggml's reference quantizer: {@code m} is the block minimum,
 * {@code d = (max - min) / 15}, {@code q = min(15, (int) ((x - min) / d + 0.5))}. Plain-Java
 * implementation.
 */
public final class Q4_1Format implements BlockFormat {

    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 20;

    @Override
    public GgmlType type() {
        return GgmlType.Q4_1;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        float sum = 0f;
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int xBase = xOffset + b * BLOCK;
            float codes = 0f;
            float xs = 0f;
            for (int j = 0; j < 16; j++) {
                int packed = data.get(LittleEndian.BYTE, block + 4 + j);
                codes += (packed & 0x0F) * x[xBase + j] + ((packed >> 4) & 0x0F) * x[xBase + 16 + j];
                xs += x[xBase + j] + x[xBase + 16 + j];
            }
            sum += Q4_KFormat.half(data, block) * codes + Q4_KFormat.half(data, block + 2) * xs;
        }
        return sum;
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] out, int outOffset, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int outBase = outOffset + b * BLOCK;
            float d = Q4_KFormat.half(data, block);
            float m = Q4_KFormat.half(data, block + 2);
            for (int j = 0; j < 16; j++) {
                int packed = data.get(LittleEndian.BYTE, block + 4 + j);
                out[outBase + j] = d * (packed & 0x0F) + m;
                out[outBase + 16 + j] = d * ((packed >> 4) & 0x0F) + m;
            }
        }
    }

    @Override
    public void quantize(float[] src, int srcOffset, int n, MemorySegment data, long offset) {
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int base = srcOffset + b * BLOCK;
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (int j = 0; j < BLOCK; j++) {
                min = Math.min(min, src[base + j]);
                max = Math.max(max, src[base + j]);
            }
            float d = (max - min) / 15f;
            float inverse = d != 0f ? 1f / d : 0f;
            data.set(LittleEndian.SHORT, block, Float.floatToFloat16(d));
            data.set(LittleEndian.SHORT, block + 2, Float.floatToFloat16(min));
            for (int j = 0; j < 16; j++) {
                int low = Math.min(15, (int) ((src[base + j] - min) * inverse + 0.5f));
                int high = Math.min(15, (int) ((src[base + 16 + j] - min) * inverse + 0.5f));
                data.set(LittleEndian.BYTE, block + 4 + j, (byte) (low | high << 4));
            }
        }
    }
}
