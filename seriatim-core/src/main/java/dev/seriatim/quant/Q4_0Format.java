package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * ggml's Q4_0: blocks of 32 values stored in 18 bytes — a little-endian fp16 scale {@code d}
 * followed by 16 bytes of 4-bit codes. Byte {@code j} holds element {@code j} in its low nibble
 * and element {@code j + 16} in its high nibble; value is {@code d * (code - 8)}.
 *
 * <p>Encoding follows ggml's reference quantizer: {@code max} is the signed value of largest
 * magnitude, {@code d = max / -8} (so {@code max} maps exactly to code 0), and
 * {@code code = min(15, (int) (x / d + 8.5))}. Plain-Java implementation.
 */
public final class Q4_0Format implements BlockFormat {

    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 18;
    static final int HALF = 16;

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        float sum = 0f;
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int xBase = xOffset + b * BLOCK;
            float blockSum = 0f;
            for (int j = 0; j < HALF; j++) {
                int packed = data.get(LittleEndian.BYTE, block + 2 + j);
                blockSum += ((packed & 0x0F) - 8) * x[xBase + j];
                blockSum += (((packed >> 4) & 0x0F) - 8) * x[xBase + HALF + j];
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
            for (int j = 0; j < HALF; j++) {
                int packed = data.get(LittleEndian.BYTE, block + 2 + j);
                out[outBase + j] = d * ((packed & 0x0F) - 8);
                out[outBase + HALF + j] = d * (((packed >> 4) & 0x0F) - 8);
            }
        }
    }

    @Override
    public void quantize(float[] src, int srcOffset, int n, MemorySegment data, long offset) {
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int srcBase = srcOffset + b * BLOCK;
            float amax = 0f;
            float max = 0f;
            for (int j = 0; j < BLOCK; j++) {
                float v = src[srcBase + j];
                if (Math.abs(v) > amax) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8f;
            float inverse = d != 0f ? 1f / d : 0f;
            data.set(LittleEndian.SHORT, block, Float.floatToFloat16(d));
            for (int j = 0; j < HALF; j++) {
                int low = code(src[srcBase + j] * inverse);
                int high = code(src[srcBase + HALF + j] * inverse);
                data.set(LittleEndian.BYTE, block + 2 + j, (byte) (low | (high << 4)));
            }
        }
    }

    /** x/d lies in [-8, 8]; adding 8.5 and truncating rounds to the nearest code, 16 clips to 15. */
    private static int code(float scaled) {
        return Math.min(15, (int) (scaled + 8.5f));
    }

    private static float scale(MemorySegment data, long block) {
        return Float.float16ToFloat(data.get(LittleEndian.SHORT, block));
    }
}
