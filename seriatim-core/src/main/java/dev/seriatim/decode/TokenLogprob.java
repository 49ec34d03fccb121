package dev.seriatim.decode;

/**
 * The log-probability (natural log) of a picked token and of the most likely alternatives at
 * that step, as the OpenAI API's {@code logprobs} / {@code top_logprobs} report them.
 *
 * <p>They are the model's own distribution, log softmax of the raw logits, before any
 * processor (penalties, temperature, filters) ran: what vLLM reports by default and what
 * scoring the text gives, independent of the sampling settings. The alternatives are in
 * descending order (ties: lower id first) and may include the picked token.
 */
public record TokenLogprob(int token, double logprob, int[] topTokens, double[] topLogprobs) {

    /** log softmax of {@code logits[0 .. n)} for {@code token} and the {@code top} most likely tokens. */
    public static TokenLogprob of(float[] logits, int n, int token, int top) {
        double lse = dev.seriatim.core.LogSoftmax.logSumExp(logits, 0, n);
        int k = Math.min(Math.max(top, 0), n);
        int[] ids = new int[k];
        double[] lps = new double[k];
        int filled = 0;
        // insertion into a short sorted list: k is small (OpenAI allows up to 20)
        for (int i = 0; i < n && k > 0; i++) {
            float l = logits[i];
            if (filled == k && !(l > logits[ids[k - 1]])) {
                continue;
            }
            int pos = filled == k ? k - 1 : filled++;
            while (pos > 0 && l > logits[ids[pos - 1]]) {
                ids[pos] = ids[pos - 1];
                pos--;
            }
            ids[pos] = i;
        }
        for (int i = 0; i < k; i++) {
            lps[i] = logits[ids[i]] - lse;
        }
        return new TokenLogprob(token, logits[token] - lse, ids, lps);
    }
}
