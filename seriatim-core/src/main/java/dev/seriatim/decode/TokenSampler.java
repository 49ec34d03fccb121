package dev.seriatim.decode;

import java.util.Random;

/**
 * Picks the next token from logits: greedy (highest logit, ties to the lowest id), or seeded
 * multinomial sampling after temperature, top-k and top-p, in that order. Scratch buffers are
 * allocated once per vocabulary size.
 */
public final class TokenSampler {

    private final SamplingParams params;
    private final Random random;
    private int[] order = new int[0];
    private long[] keys = new long[0];
    private double[] probs = new double[0];

    public TokenSampler(SamplingParams params) {
        this.params = params;
        this.random = new Random(params.seed());
    }

    public SamplingParams params() {
        return params;
    }

    public int sample(float[] logits, int n) {
        checkFinite(logits, n);
        if (params.greedy()) {
            return argmax(logits, n);
        }
        if (order.length != n) {
            order = new int[n];
            keys = new long[n];
            probs = new double[n];
        }
        int kept = sortedCandidates(logits, n);
        // softmax over the kept candidates at the chosen temperature
        double max = logits[order[0]];
        double sum = 0;
        for (int i = 0; i < kept; i++) {
            probs[i] = Math.exp((logits[order[i]] - max) / params.temperature());
            sum += probs[i];
        }
        if (params.topP() < 1f) {
            double cumulative = 0;
            int cut = kept;
            for (int i = 0; i < kept; i++) {
                cumulative += probs[i] / sum;
                if (cumulative >= params.topP()) {
                    cut = i + 1;
                    break;
                }
            }
            sum = 0;
            for (int i = 0; i < cut; i++) {
                sum += probs[i];
            }
            kept = cut;
        }
        double u = random.nextDouble() * sum;
        double acc = 0;
        for (int i = 0; i < kept; i++) {
            acc += probs[i];
            if (u < acc) {
                return order[i];
            }
        }
        return order[kept - 1];
    }

    /** Sorts token ids by descending logit (ties by id) and returns how many top-k keeps. */
    private int sortedCandidates(float[] logits, int n) {
        // One primitive sort on (descending logit, ascending id) packed in a long: no boxing.
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToIntBits(logits[i]);
            int ordered = bits ^ ((bits >> 31) & 0x7fffffff);
            keys[i] = ((long) ~ordered << 32) | i;
        }
        java.util.Arrays.sort(keys, 0, n);
        for (int i = 0; i < n; i++) {
            order[i] = (int) keys[i];
        }
        int kept = params.topK() > 0 ? Math.min(params.topK(), n) : n;
        while (kept > 1 && logits[order[kept - 1]] == Float.NEGATIVE_INFINITY) {
            kept--;
        }
        return kept;
    }

    /** Index of the largest logit, the lowest index among ties. */
    public static int argmax(float[] logits, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    private static void checkFinite(float[] logits, int n) {
        for (int i = 0; i < n; i++) {
            if (Float.isNaN(logits[i]) || logits[i] == Float.POSITIVE_INFINITY) {
                throw new IllegalStateException("model produced a non-finite logit (" + logits[i] + ") for token " + i);
            }
        }
    }
}
