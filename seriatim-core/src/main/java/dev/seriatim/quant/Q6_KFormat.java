package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * ggml's Q6_K: super-blocks of 256 values in 210 bytes, 6.5625 bits per value.
 * <pre>
 *   offset 0    128 bytes  ql: low 4 bits of the codes
 *   offset 128  64 bytes   qh: high 2 bits of the codes
 *   offset 192  16 bytes   signed 8-bit scales sc[0..15], one per 16 values
 *   offset 208  fp16 d     scale of the scales
 * </pre>
 * Each half {@code h} (values {@code 128h ..}) uses ql bytes {@code 64h ..}, qh bytes
 * {@code 32h ..}. For {@code l} in 0..31, with {@code L = ql[64h + l]}, {@code L' = ql[64h + 32 + l]},
 * {@code H = qh[32h + l]}, the codes of values {@code 128h + l, +32, +64, +96} are
 * {@code L & 15 | (H & 3) << 4}, {@code L' & 15 | (H >> 2 & 3) << 4},
 * {@code L >> 4 | (H >> 4 & 3) << 4} and {@code L' >> 4 | (H >> 6) << 4}. Value {@code i} is
 * {@code (d * sc[i / 16]) * (code - 32)}, each product rounded to float. Plain-Java
 * implementation.
 */
public final class Q6_KFormat implements BlockFormat {

    static final int BLOCK = 256;
    static final int BLOCK_BYTES = 210;
    static final int QH = 128;
    static final int SCALES = 192;
    static final int D = 208;

    @Override
    public GgmlType type() {
        return GgmlType.Q6_K;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        float sum = 0f;
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int xBase = xOffset + b * BLOCK;
            float d = Q4_KFormat.half(data, block + D);
            for (int group = 0; group < 16; group++) {
                float codesTimesX = 0f;
                for (int i = 16 * group; i < 16 * group + 16; i++) {
                    codesTimesX += code(data, block, i) * x[xBase + i];
                }
                sum += d * data.get(LittleEndian.BYTE, block + SCALES + group) * codesTimesX;
            }
        }
        return sum;
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] out, int outOffset, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int outBase = outOffset + b * BLOCK;
            float d = Q4_KFormat.half(data, block + D);
            for (int group = 0; group < 16; group++) {
                float scale = d * data.get(LittleEndian.BYTE, block + SCALES + group);
                for (int i = 16 * group; i < 16 * group + 16; i++) {
                    out[outBase + i] = scale * code(data, block, i);
                }
            }
        }
    }

    /** The signed code (-32..31) of value {@code i} (0..255) of the super-block at {@code block}. */
    private static int code(MemorySegment data, long block, int i) {
        int h = i / 128;
        int quarter = (i % 128) / 32; // which of the four values sharing a qh byte
        int l = i % 32;
        int low = data.get(LittleEndian.BYTE, block + 64 * h + 32 * (quarter & 1) + l) & 0xFF;
        low = quarter < 2 ? low & 0x0F : low >> 4;
        int high = (data.get(LittleEndian.BYTE, block + QH + 32 * h + l) >> (2 * quarter)) & 3;
        return (low | high << 4) - 32;
    }

    /**
     * Fits each group of 16 by {@link ScaleSearch#fitSymmetric} (codes -32..31), then stores the
     * 16 group scales as int8 against {@code d = -(largest scale) / 128}, and re-rounds every
     * value against the stored scale, as ggml's reference quantizer does.
     */
    @Override
    public void quantize(float[] src, int srcOffset, int n, MemorySegment data, long offset) {
        float[] scales = new float[16];
        int[] codes = new int[BLOCK];
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int base = srcOffset + b * BLOCK;
            float maxScale = 0;
            float maxAbsScale = 0;
            for (int group = 0; group < 16; group++) {
                scales[group] = ScaleSearch.fitSymmetric(src, base + 16 * group, 16, 32);
                if (Math.abs(scales[group]) > maxAbsScale) {
                    maxAbsScale = Math.abs(scales[group]);
                    maxScale = scales[group];
                }
            }
            if (maxAbsScale < 1e-15f) { // all (near) zero: an all-zero block decodes to zeros
                for (int i = 0; i < BLOCK_BYTES; i++) {
                    data.set(LittleEndian.BYTE, block + i, (byte) 0);
                }
                continue;
            }
            float inverse = -128f / maxScale; // the largest scale becomes int8 -128
            short d = Float.floatToFloat16(1f / inverse);
            data.set(LittleEndian.SHORT, block + D, d);
            float storedD = Float.float16ToFloat(d);
            for (int group = 0; group < 16; group++) {
                int sc = Math.min(127, ScaleSearch.nearestInt(inverse * scales[group]));
                data.set(LittleEndian.BYTE, block + SCALES + group, (byte) sc);
                float scale = storedD * sc;
                for (int i = 16 * group; i < 16 * group + 16; i++) {
                    codes[i] = scale == 0f ? 32 : ScaleSearch.clamp(ScaleSearch.nearestInt(src[base + i] / scale), -32, 31) + 32;
                }
            }
            for (int h = 0; h < 2; h++) {
                for (int l = 0; l < 32; l++) {
                    int c0 = codes[128 * h + l];
                    int c1 = codes[128 * h + 32 + l];
                    int c2 = codes[128 * h + 64 + l];
                    int c3 = codes[128 * h + 96 + l];
                    data.set(LittleEndian.BYTE, block + 64 * h + l, (byte) ((c0 & 0x0F) | (c2 & 0x0F) << 4));
                    data.set(LittleEndian.BYTE, block + 64 * h + 32 + l, (byte) ((c1 & 0x0F) | (c3 & 0x0F) << 4));
                    data.set(LittleEndian.BYTE, block + QH + 32 * h + l,
                            (byte) (c0 >> 4 | (c1 >> 4) << 2 | (c2 >> 4) << 4 | (c3 >> 4) << 6));
                }
            }
        }
    }
}
