package dev.seriatim.core;

/** Log-probabilities from logits, computed in double with the max subtracted for stability. */
public final class LogSoftmax {

    private LogSoftmax() {
    }

    /** log softmax(logits[offset .. offset+n))[target]. */
    public static double logProbability(float[] logits, int offset, int n, int target) {
        return logits[offset + target] - logSumExp(logits, offset, n);
    }

    /** log sum_i exp(logits[offset + i]). */
    public static double logSumExp(float[] logits, int offset, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        if (max == Float.NEGATIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(logits[offset + i] - (double) max);
        }
        return max + Math.log(sum);
    }
}
