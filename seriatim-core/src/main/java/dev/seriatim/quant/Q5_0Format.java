package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * ggml's Q5_0: blocks of 32 values in 22 bytes — fp16 scale {@code d}, a little-endian 32-bit
 * word {@code qh} of fifth bits, then 16 bytes of low nibbles (byte {@code j}: element {@code j}
 * low, element {@code j + 16} high). Bit {@code i} of {@code qh} is the fifth bit of element
 * {@code i}; value is {@code d * (code - 16)} with {@code code} in 0..31.
 *
 * <p>Encoding follows ggml's reference quantizer: {@code d = max / -16} for the signed value of
 * largest magnitude, {@code code = min(31, (int) (x / d + 16.5))}. llama.cpp writes it where Q4_K
 * does not fit a row. Plain-Java implementation.
 */
public final class Q5_0Format implements BlockFormat {

    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 22;

    @Override
    public GgmlType type() {
        return GgmlType.Q5_0;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        float sum = 0f;
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int xBase = xOffset + b * BLOCK;
            float blockSum = 0f;
            for (int i = 0; i < BLOCK; i++) {
                blockSum += code(data, block, i) * x[xBase + i];
            }
            sum += Q4_KFormat.half(data, block) * blockSum;
        }
        return sum;
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] out, int outOffset, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            float d = Q4_KFormat.half(data, block);
            for (int i = 0; i < BLOCK; i++) {
                out[outOffset + b * BLOCK + i] = d * code(data, block, i);
            }
        }
    }

    /** Signed code (-16..15) of element i. */
    private static int code(MemorySegment data, long block, int i) {
        int packed = data.get(LittleEndian.BYTE, block + 6 + (i & 15));
        int low = i < 16 ? packed & 0x0F : (packed >> 4) & 0x0F;
        int high = (data.get(LittleEndian.INT, block + 2) >>> i) & 1;
        return (low | high << 4) - 16;
    }

    @Override
    public void quantize(float[] src, int srcOffset, int n, MemorySegment data, long offset) {
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int base = srcOffset + b * BLOCK;
            float amax = 0f;
            float max = 0f;
            for (int j = 0; j < BLOCK; j++) {
                if (Math.abs(src[base + j]) > amax) {
                    amax = Math.abs(src[base + j]);
                    max = src[base + j];
                }
            }
            float d = max / -16f;
            float inverse = d != 0f ? 1f / d : 0f;
            data.set(LittleEndian.SHORT, block, Float.floatToFloat16(d));
            int qh = 0;
            for (int j = 0; j < 16; j++) {
                int low = Math.min(31, (int) (src[base + j] * inverse + 16.5f));
                int high = Math.min(31, (int) (src[base + 16 + j] * inverse + 16.5f));
                data.set(LittleEndian.BYTE, block + 6 + j, (byte) ((low & 0x0F) | (high & 0x0F) << 4));
                qh |= (low >> 4) << j | (high >> 4) << (j + 16);
            }
            data.set(LittleEndian.INT, block + 2, qh);
        }
    }
}
