package dev.seriatim.decode;

/**
 * Top-p (nucleus): with the candidates in descending probability order (softmax of the current
 * logits), keeps the shortest prefix whose total probability is at least {@code p}, including
 * the token that crosses {@code p}, and at least {@code minKeep} tokens. llama.cpp and Hugging
 * Face agree on this rule. {@code p = 1} is off.
 */
public final class TopPFilter implements LogitProcessor {

    private final float p;
    private final int minKeep;

    public TopPFilter(float p, int minKeep) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1] (1 = off), got " + p);
        }
        this.p = p;
        this.minKeep = minKeep;
    }

    @Override
    public void apply(Candidates candidates, TokenHistory history) {
        if (p >= 1f) {
            return;
        }
        candidates.sortByLogit();
        double[] probs = candidates.probabilities();
        double cumulative = 0;
        int n = candidates.size();
        for (int i = 0; i < n; i++) {
            cumulative += probs[i];
            if (cumulative >= p && i + 1 >= minKeep) {
                candidates.retainFirst(i + 1);
                return;
            }
        }
    }
}
