package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * ggml's Q5_1: blocks of 32 values in 24 bytes — fp16 scale {@code d}, fp16 offset {@code m}, a
 * little-endian 32-bit word {@code qh} of fifth bits (bit {@code i} for element {@code i}), then
 * 16 bytes of low nibbles (byte {@code j}: element {@code j} low, {@code j + 16} high); value is
 * {@code (d * code) + m} with {@code code} in 0..31, each step rounded to float.
 *
 * <p>Encoding follows ggml's reference quantizer: {@code m} is the block minimum,
 * {@code d = (max - min) / 31}, {@code code = (int) ((x - min) / d + 0.5)}. llama.cpp writes it
 * where Q5_K does not fit a row. Plain-Java implementation.
 */
public final class Q5_1Format implements BlockFormat {

    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 24;

    @Override
    public GgmlType type() {
        return GgmlType.Q5_1;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        float sum = 0f;
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int xBase = xOffset + b * BLOCK;
            float codes = 0f;
            float xs = 0f;
            for (int i = 0; i < BLOCK; i++) {
                codes += code(data, block, i) * x[xBase + i];
                xs += x[xBase + i];
            }
            sum += Q4_KFormat.half(data, block) * codes + Q4_KFormat.half(data, block + 2) * xs;
        }
        return sum;
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] out, int outOffset, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            float d = Q4_KFormat.half(data, block);
            float m = Q4_KFormat.half(data, block + 2);
            for (int i = 0; i < BLOCK; i++) {
                out[outOffset + b * BLOCK + i] = d * code(data, block, i) + m;
            }
        }
    }

    /** Code (0..31) of element i. */
    private static int code(MemorySegment data, long block, int i) {
        int packed = data.get(LittleEndian.BYTE, block + 8 + (i & 15));
        int low = i < 16 ? packed & 0x0F : (packed >> 4) & 0x0F;
        int high = (data.get(LittleEndian.INT, block + 4) >>> i) & 1;
        return low | high << 4;
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
            float d = (max - min) / 31f;
            float inverse = d != 0f ? 1f / d : 0f;
            data.set(LittleEndian.SHORT, block, Float.floatToFloat16(d));
            data.set(LittleEndian.SHORT, block + 2, Float.floatToFloat16(min));
            int qh = 0;
            for (int j = 0; j < 16; j++) {
                int low = Math.min(31, (int) ((src[base + j] - min) * inverse + 0.5f));
                int high = Math.min(31, (int) ((src[base + 16 + j] - min) * inverse + 0.5f));
                data.set(LittleEndian.BYTE, block + 8 + j, (byte) ((low & 0x0F) | (high & 0x0F) << 4));
                qh |= (low >> 4) << j | (high >> 4) << (j + 16);
            }
            data.set(LittleEndian.INT, block + 4, qh);
        }
    }
}
