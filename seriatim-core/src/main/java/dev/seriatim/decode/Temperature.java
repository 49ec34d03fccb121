package dev.seriatim.decode;

/**
 * Temperature: {@code logit := logit / T}. {@code T = 1} is off; {@code T < 1} sharpens the
 * distribution, {@code T > 1} flattens it. {@code T = 0} means greedy: only the candidate with
 * the highest logit is kept (ties: the lowest id).
 *
 * <p>When {@code logit / T} would overflow a float (a tiny T), {@code (logit - max) / T} is used
 * instead: the same distribution, since softmax does not change when every logit is shifted by
 * the same amount, and no two different logits collapse onto infinity.
 */
public final class Temperature implements LogitProcessor {

    private final float t;

    public Temperature(float t) {
        if (!(t >= 0) || Float.isInfinite(t)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0 (0 = greedy), got " + t);
        }
        this.t = t;
    }

    @Override
    public void apply(Candidates candidates, TokenHistory history) {
        if (t == 1f) {
            return;
        }
        if (t == 0f) {
            candidates.sortByLogit();
            candidates.retainFirst(1);
            return;
        }
        int n = candidates.size();
        float max = candidates.maxLogit();
        if (max == Float.NEGATIVE_INFINITY) {
            return; // nothing can be picked; the sampler says so
        }
        float largest = 0;
        for (int i = 0; i < n; i++) {
            float l = candidates.logit(i);
            if (Float.isFinite(l)) {
                largest = Math.max(largest, Math.abs(l));
            }
        }
        boolean shift = largest / (double) t > Float.MAX_VALUE / 2;
        // dividing by a positive number keeps the order, so a sorted set stays sorted
        boolean wasSorted = candidates.isSorted();
        for (int i = 0; i < n; i++) {
            double l = candidates.logit(i);
            candidates.setLogit(i, (float) (shift ? (l - max) / t : l / t));
        }
        candidates.markSorted(wasSorted);
    }
}
