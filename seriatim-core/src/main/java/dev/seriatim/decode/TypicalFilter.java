package dev.seriatim.decode;

/**
 * Locally typical sampling (Meister et al. 2022), as llama.cpp and Hugging Face implement it:
 * with {@code p_i} the softmax of the current logits and {@code H = -sum p_i ln p_i} its
 * entropy, candidates are ranked by {@code |-ln p_i - H|} (closest to the expected surprise
 * first) and the shortest prefix of that ranking whose total probability is at least
 * {@code p} is kept, including the token that crosses {@code p}, and at least {@code minKeep}
 * tokens. {@code p = 1} is off. Unlike the other filters it may drop the most likely token.
 */
public final class TypicalFilter implements LogitProcessor {

    private final float p;
    private final int minKeep;
    private double[] surprise = new double[0];

    public TypicalFilter(float p, int minKeep) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("typical-p must be in (0, 1] (1 = off), got " + p);
        }
        this.p = p;
        this.minKeep = minKeep;
    }

    @Override
    public void apply(Candidates candidates, TokenHistory history) {
        if (p >= 1f) {
            return;
        }
        int n = candidates.size();
        if (surprise.length < candidates.capacity()) {
            surprise = new double[candidates.capacity()];
        }
        // rank by logit first: sortBy keeps this order among equal distances
        candidates.sortByLogit();
        double[] probs = candidates.probabilities();
        double entropy = 0;
        for (int i = 0; i < n; i++) {
            if (probs[i] > 0) {
                entropy -= probs[i] * Math.log(probs[i]);
            }
        }
        for (int i = 0; i < n; i++) {
            surprise[i] = probs[i] > 0 ? Math.abs(-Math.log(probs[i]) - entropy) : Double.POSITIVE_INFINITY;
        }
        candidates.sortBy(surprise);
        probs = candidates.probabilities();
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
            cumulative += probs[i];
            if (cumulative >= p && i + 1 >= minKeep) {
                candidates.retainFirst(i + 1);
                return;
            }
        }
    }
}
