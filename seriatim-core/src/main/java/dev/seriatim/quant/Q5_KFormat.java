package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * ggml's Q5_K: super-blocks of 256 values in 176 bytes, 5.5 bits per value.
 * <pre>
 *   offset 0   fp16 d      scale of the sub-block scales
 *   offset 2   fp16 dmin   scale of the sub-block mins
 *   offset 4   12 bytes    8 six-bit scales sc[j] and mins m[j], packed as {@link KScales}
 *   offset 16  32 bytes    qh: the fifth (high) bit of every code
 *   offset 48  128 bytes   qs: the low 4 bits, arranged exactly as in {@link Q4_KFormat}
 * </pre>
 * Bit {@code 2c} of {@code qh[l]} is the high bit of value {@code 64c + l}, bit {@code 2c + 1}
 * that of value {@code 64c + 32 + l}. Value {@code i} (sub-block {@code j = i / 32}) is
 * {@code (d * sc[j]) * q - (dmin * m[j])} with {@code q} in 0..31. Plain-Java implementation.
 */
public final class Q5_KFormat implements BlockFormat {

    static final int BLOCK = 256;
    static final int BLOCK_BYTES = 176;
    static final int QH = 16;
    static final int QS = 48;
    private static final MinScaleEncoder ENCODER = new MinScaleEncoder(31, -0.5f, 0.1f, 15);

    @Override
    public GgmlType type() {
        return GgmlType.Q5_K;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        float sum = 0f;
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int xBase = xOffset + b * BLOCK;
            float d = Q4_KFormat.half(data, block);
            float dmin = Q4_KFormat.half(data, block + 2);
            for (int c = 0; c < 4; c++) {
                float lowCodes = 0f;
                float lowX = 0f;
                float highCodes = 0f;
                float highX = 0f;
                for (int l = 0; l < 32; l++) {
                    int packed = data.get(LittleEndian.BYTE, block + QS + 32 * c + l);
                    int high = data.get(LittleEndian.BYTE, block + QH + l) >> (2 * c);
                    float xl = x[xBase + 64 * c + l];
                    float xh = x[xBase + 64 * c + 32 + l];
                    lowCodes += ((packed & 0x0F) | ((high & 1) << 4)) * xl;
                    lowX += xl;
                    highCodes += (((packed >> 4) & 0x0F) | ((high & 2) << 3)) * xh;
                    highX += xh;
                }
                sum += d * KScales.scale(data, block + 4, 2 * c) * lowCodes
                        - dmin * KScales.min(data, block + 4, 2 * c) * lowX;
                sum += d * KScales.scale(data, block + 4, 2 * c + 1) * highCodes
                        - dmin * KScales.min(data, block + 4, 2 * c + 1) * highX;
            }
        }
        return sum;
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] out, int outOffset, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int outBase = outOffset + b * BLOCK;
            float d = Q4_KFormat.half(data, block);
            float dmin = Q4_KFormat.half(data, block + 2);
            for (int c = 0; c < 4; c++) {
                float lowScale = d * KScales.scale(data, block + 4, 2 * c);
                float lowMin = dmin * KScales.min(data, block + 4, 2 * c);
                float highScale = d * KScales.scale(data, block + 4, 2 * c + 1);
                float highMin = dmin * KScales.min(data, block + 4, 2 * c + 1);
                for (int l = 0; l < 32; l++) {
                    int packed = data.get(LittleEndian.BYTE, block + QS + 32 * c + l);
                    int high = data.get(LittleEndian.BYTE, block + QH + l) >> (2 * c);
                    out[outBase + 64 * c + l] = lowScale * ((packed & 0x0F) | ((high & 1) << 4)) - lowMin;
                    out[outBase + 64 * c + 32 + l] =
                            highScale * (((packed >> 4) & 0x0F) | ((high & 2) << 3)) - highMin;
                }
            }
        }
    }

    @Override
    public void quantize(float[] src, int srcOffset, int n, MemorySegment data, long offset) {
        int[] codes = new int[BLOCK];
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            ENCODER.encode(src, srcOffset + b * BLOCK, data, block, codes);
            for (int l = 0; l < 32; l++) {
                int high = 0;
                for (int c = 0; c < 4; c++) {
                    int low = codes[64 * c + l];
                    int up = codes[64 * c + 32 + l];
                    high |= (low >> 4) << (2 * c) | (up >> 4) << (2 * c + 1);
                    data.set(LittleEndian.BYTE, block + QS + 32 * c + l, (byte) ((low & 0x0F) | ((up & 0x0F) << 4)));
                }
                data.set(LittleEndian.BYTE, block + QH + l, (byte) high);
            }
        }
    }
}
