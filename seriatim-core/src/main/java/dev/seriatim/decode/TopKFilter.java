package dev.seriatim.decode;

/**
 * Top-k: keeps the {@code max(k, minKeep)} candidates with the highest logits.
 *
 * <p>Ties at the k-th logit are cut by token id (lower ids stay), as llama.cpp does, so
 * exactly k remain; Hugging Face instead keeps every token tied with the k-th. {@code k = 0}
 * is off; k larger than the number of candidates keeps them all.
 */
public final class TopKFilter implements LogitProcessor {

    private final int k;
    private final int minKeep;

    public TopKFilter(int k, int minKeep) {
        if (k < 0) {
            throw new IllegalArgumentException("top-k must be >= 0 (0 = off), got " + k);
        }
        this.k = k;
        this.minKeep = minKeep;
    }

    @Override
    public void apply(Candidates candidates, TokenHistory history) {
        if (k == 0) {
            return;
        }
        int keep = Math.max(k, minKeep);
        if (keep >= candidates.size()) {
            return;
        }
        candidates.keepTop(keep);
    }
}
