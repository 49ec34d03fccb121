package dev.seriatim.quant;

import java.lang.foreign.MemorySegment;

/**
 * Encodes the scales of a Q4_K or Q5_K super-block, which share everything but the code width:
 * 8 sub-blocks of 32 values, each {@code x ~ d * sc[j] * code - dmin * m[j]} with 6-bit
 * {@code sc}, {@code m} and fp16 {@code d}, {@code dmin}.
 *
 * <p>As in ggml's reference quantizer: each sub-block's scale and min are fitted by
 * {@link ScaleSearch#fitWithMin} with weights {@code rms + |x|} (so large values, which matter
 * most to a dot product, are fitted best), the largest scale and min set {@code d} and
 * {@code dmin} so that they map to 63, and finally every value is re-rounded against the scale and
 * min actually stored, so the codes match what dequantization will see.
 */
final class MinScaleEncoder {

    private static final int SUB = 32;

    private final int nmax;
    private final float firstDelta;
    private final float stepDelta;
    private final int steps;

    /** Codes 0..nmax; the search tries {@code steps + 1} inverse scales from {@code nmax + firstDelta}. */
    MinScaleEncoder(int nmax, float firstDelta, float stepDelta, int steps) {
        this.nmax = nmax;
        this.firstDelta = firstDelta;
        this.stepDelta = stepDelta;
        this.steps = steps;
    }

    /**
     * Writes fp16 d at {@code header}, fp16 dmin at {@code header + 2} and the 12 scale bytes at
     * {@code header + 4}; fills {@code codes[0..255]} with the super-block's codes.
     */
    void encode(float[] src, int base, MemorySegment data, long header, int[] codes) {
        float[] scales = new float[KScales.SUB_BLOCKS];
        float[] mins = new float[KScales.SUB_BLOCKS];
        float[] weights = new float[SUB];
        float[] fit = new float[2];
        float maxScale = 0;
        float maxMin = 0;
        for (int j = 0; j < KScales.SUB_BLOCKS; j++) {
            int at = base + SUB * j;
            float sumSquares = 0;
            for (int l = 0; l < SUB; l++) {
                sumSquares += src[at + l] * src[at + l];
            }
            float rms = (float) Math.sqrt(sumSquares / SUB);
            for (int l = 0; l < SUB; l++) {
                weights[l] = rms + Math.abs(src[at + l]);
            }
            ScaleSearch.fitWithMin(src, at, SUB, weights, nmax, firstDelta, stepDelta, steps, codes, SUB * j, fit);
            scales[j] = fit[0];
            mins[j] = fit[1];
            maxScale = Math.max(maxScale, scales[j]);
            maxMin = Math.max(maxMin, mins[j]);
        }
        float inverseScale = maxScale > 0 ? 63f / maxScale : 0f;
        float inverseMin = maxMin > 0 ? 63f / maxMin : 0f;
        int[] sc = new int[KScales.SUB_BLOCKS];
        int[] m = new int[KScales.SUB_BLOCKS];
        for (int j = 0; j < KScales.SUB_BLOCKS; j++) {
            sc[j] = Math.min(63, ScaleSearch.nearestInt(inverseScale * scales[j]));
            m[j] = Math.min(63, ScaleSearch.nearestInt(inverseMin * mins[j]));
        }
        short d = Float.floatToFloat16(maxScale / 63f);
        short dmin = Float.floatToFloat16(maxMin / 63f);
        data.set(LittleEndian.SHORT, header, d);
        data.set(LittleEndian.SHORT, header + 2, dmin);
        KScales.pack(sc, m, data, header + 4);

        float storedD = Float.float16ToFloat(d);
        float storedMin = Float.float16ToFloat(dmin);
        for (int j = 0; j < KScales.SUB_BLOCKS; j++) {
            float subScale = storedD * sc[j];
            if (subScale == 0f) {
                continue; // every code decodes to -min: keep the fit's codes
            }
            float subMin = storedMin * m[j];
            for (int l = 0; l < SUB; l++) {
                int code = ScaleSearch.nearestInt((src[base + SUB * j + l] + subMin) / subScale);
                codes[SUB * j + l] = ScaleSearch.clamp(code, 0, nmax);
            }
        }
    }
}
