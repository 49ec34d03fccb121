package dev.seriatim.quant;

/**
 * Least-squares searches for the scale (and min) of a small group of values, in the manner of
 * ggml's reference K-quant quantizers: rounding against the plain {@code max / nmax} scale wastes
 * precision whenever one outlier sets the range, so a handful of nearby scales are tried, each
 * one's codes are refit by weighted least squares, and the fit with the smallest weighted error
 * wins. Bit-exactness with ggml is not a requirement (decoding is what must be exact), but on
 * the fixture of {@code GgmlQuantizerParityTest} they reproduce ggml's bytes exactly.
 */
final class ScaleSearch {

    private ScaleSearch() {}

    /** ggml's {@code nearest_int}: round half to even, as its float-add trick does. */
    static int nearestInt(float v) {
        return (int) Math.rint(v);
    }

    /**
     * Fits {@code x[i] ~ scale * code[i] - min} with codes in 0..nmax and {@code min >= 0}
     * (the group's minimum is subtracted, so codes are unsigned); weights {@code w} say which
     * values matter. Writes the codes to {@code codes[codeOffset ..]} and returns
     * {@code {scale, min}} through {@code fit}. Tries {@code steps + 1} inverse scales
     * {@code (nmax + firstDelta + stepDelta * k) / (max - min)} besides the plain one.
     */
    static void fitWithMin(float[] x, int offset, int n, float[] w, int nmax,
            float firstDelta, float stepDelta, int steps, int[] codes, int codeOffset, float[] fit) {
        float min = x[offset];
        float max = x[offset];
        float sumW = 0;
        float sumX = 0;
        for (int i = 0; i < n; i++) {
            float v = x[offset + i];
            min = Math.min(min, v);
            max = Math.max(max, v);
            sumW += w[i];
            sumX += w[i] * v;
        }
        min = Math.min(min, 0f); // a positive min would be a negative offset: not representable
        if (max == min) {
            for (int i = 0; i < n; i++) {
                codes[codeOffset + i] = 0;
            }
            fit[0] = 0f;
            fit[1] = -min;
            return;
        }
        float inverse = nmax / (max - min);
        float scale = 1f / inverse;
        float bestError = 0;
        for (int i = 0; i < n; i++) {
            int l = clamp(nearestInt(inverse * (x[offset + i] - min)), 0, nmax);
            codes[codeOffset + i] = l;
            float diff = scale * l + min - x[offset + i];
            bestError += w[i] * diff * diff;
        }
        int[] trial = new int[n];
        for (int k = 0; k <= steps; k++) {
            float trialInverse = (firstDelta + stepDelta * k + nmax) / (max - min);
            float sumL = 0;
            float sumL2 = 0;
            float sumXL = 0;
            for (int i = 0; i < n; i++) {
                int l = clamp(nearestInt(trialInverse * (x[offset + i] - min)), 0, nmax);
                trial[i] = l;
                sumL += w[i] * l;
                sumL2 += w[i] * l * l;
                sumXL += w[i] * l * x[offset + i];
            }
            float det = sumW * sumL2 - sumL * sumL;
            if (det <= 0) {
                continue;
            }
            // weighted least squares for x ~ a * l + b with the codes fixed
            float a = (sumW * sumXL - sumX * sumL) / det;
            float b = (sumL2 * sumX - sumL * sumXL) / det;
            if (b > 0) { // keep the offset non-positive: refit the scale alone through zero
                b = 0;
                a = sumXL / sumL2;
            }
            float error = 0;
            for (int i = 0; i < n; i++) {
                float diff = a * trial[i] + b - x[offset + i];
                error += w[i] * diff * diff;
            }
            if (error < bestError) {
                System.arraycopy(trial, 0, codes, codeOffset, n);
                bestError = error;
                scale = a;
                min = b;
            }
        }
        fit[0] = scale;
        fit[1] = -min;
    }

    /**
     * Fits {@code x[i] ~ scale * code[i]} with signed codes in {@code -nmax .. nmax - 1},
     * weighting each value by {@code x^2} (large values matter most). The value of largest
     * magnitude anchors the grid at code {@code -nmax}; 19 nearby grids are tried and the one
     * with the best least-squares fit kept. Returns the scale (possibly negative), or 0 for an
     * all-zero group.
     */
    static float fitSymmetric(float[] x, int offset, int n, int nmax) {
        float amax = 0;
        float max = 0;
        for (int i = 0; i < n; i++) {
            float v = x[offset + i];
            if (Math.abs(v) > amax) {
                amax = Math.abs(v);
                max = v;
            }
        }
        if (amax < 1e-15f) {
            return 0f;
        }
        float best = -1;
        float bestScale = 0;
        for (int k = 0; k <= 19; k++) {
            // k == 0 is the plain grid; then 0.1-step nudges of nmax either side
            float inverse = k == 0 ? -nmax / max : -(nmax + 0.1f * (k - 10)) / max;
            if (k == 10) {
                continue; // same as k == 0
            }
            float sumLX = 0;
            float sumL2 = 0;
            for (int i = 0; i < n; i++) {
                float v = x[offset + i];
                int l = clamp(nearestInt(inverse * v), -nmax, nmax - 1);
                float w = v * v;
                sumLX += w * v * l;
                sumL2 += w * l * l;
            }
            // scale = sumLX / sumL2 reduces the weighted error by sumLX^2 / sumL2: maximise it
            if (sumL2 > 0 && (best < 0 || sumLX * sumLX > best * sumL2)) {
                bestScale = sumLX / sumL2;
                best = bestScale * sumLX;
            }
        }
        return bestScale;
    }

    static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
