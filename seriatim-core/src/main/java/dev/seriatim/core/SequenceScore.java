package dev.seriatim.core;

/**
 * Log-likelihood of a sequence under a model: {@code logprobs[t]} is log p(x_t | x_&lt;t) in
 * nats, or NaN where there was no context to score from (the first element of a window).
 */
public record SequenceScore(int[] tokens, double[] logprobs) {

    /** Number of scored elements. */
    public int scoredCount() {
        int n = 0;
        for (double lp : logprobs) {
            if (!Double.isNaN(lp)) {
                n++;
            }
        }
        return n;
    }

    /** Total negative log-likelihood in nats. */
    public double nll() {
        double sum = 0;
        for (double lp : logprobs) {
            if (!Double.isNaN(lp)) {
                sum -= lp;
            }
        }
        return sum;
    }

    /** Mean negative log-likelihood per scored element, NaN when nothing was scored. */
    public double meanNll() {
        int n = scoredCount();
        return n == 0 ? Double.NaN : nll() / n;
    }

    public double perplexity() {
        return Math.exp(meanNll());
    }
}
