package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * ggml's Q4_K: super-blocks of 256 values in 144 bytes, 4.5 bits per value.
 * <pre>
 *   offset 0   fp16 d      scale of the sub-block scales
 *   offset 2   fp16 dmin   scale of the sub-block mins
 *   offset 4   12 bytes    8 six-bit scales sc[j] and mins m[j], packed as {@link KScales}
 *   offset 16  128 bytes   4-bit codes q
 * </pre>
 * The codes come in 4 chunks of 32 bytes; byte {@code l} of chunk {@code c} holds value
 * {@code 64c + l} in its low nibble and value {@code 64c + 32 + l} in its high nibble. Value
 * {@code i} lies in sub-block {@code j = i / 32} and is {@code (d * sc[j]) * q - (dmin * m[j])},
 * each product rounded to float. Plain-Java implementation.
 */
public final class Q4_KFormat implements BlockFormat {

    static final int BLOCK = 256;
    static final int BLOCK_BYTES = 144;
    static final int QS = 16;
    private static final MinScaleEncoder ENCODER = new MinScaleEncoder(15, -1f, 0.1f, 20);

    @Override
    public GgmlType type() {
        return GgmlType.Q4_K;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        float sum = 0f;
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int xBase = xOffset + b * BLOCK;
            float d = half(data, block);
            float dmin = half(data, block + 2);
            for (int c = 0; c < 4; c++) {
                float lowCodes = 0f;
                float lowX = 0f;
                float highCodes = 0f;
                float highX = 0f;
                for (int l = 0; l < 32; l++) {
                    int packed = data.get(LittleEndian.BYTE, block + QS + 32 * c + l);
                    float xl = x[xBase + 64 * c + l];
                    float xh = x[xBase + 64 * c + 32 + l];
                    lowCodes += (packed & 0x0F) * xl;
                    lowX += xl;
                    highCodes += ((packed >> 4) & 0x0F) * xh;
                    highX += xh;
                }
                // sum of (s*q - m) * x over a sub-block = s * sum(q*x) - m * sum(x)
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
            float d = half(data, block);
            float dmin = half(data, block + 2);
            for (int c = 0; c < 4; c++) {
                float lowScale = d * KScales.scale(data, block + 4, 2 * c);
                float lowMin = dmin * KScales.min(data, block + 4, 2 * c);
                float highScale = d * KScales.scale(data, block + 4, 2 * c + 1);
                float highMin = dmin * KScales.min(data, block + 4, 2 * c + 1);
                for (int l = 0; l < 32; l++) {
                    int packed = data.get(LittleEndian.BYTE, block + QS + 32 * c + l);
                    out[outBase + 64 * c + l] = lowScale * (packed & 0x0F) - lowMin;
                    out[outBase + 64 * c + 32 + l] = highScale * ((packed >> 4) & 0x0F) - highMin;
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
            for (int c = 0; c < 4; c++) {
                for (int l = 0; l < 32; l++) {
                    int packed = codes[64 * c + l] | (codes[64 * c + 32 + l] << 4);
                    data.set(LittleEndian.BYTE, block + QS + 32 * c + l, (byte) packed);
                }
            }
        }
    }

    static float half(MemorySegment data, long at) {
        return Float.float16ToFloat(data.get(LittleEndian.SHORT, at));
    }
}
