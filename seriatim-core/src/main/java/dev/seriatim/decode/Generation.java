package dev.seriatim.decode;

import java.util.List;

/**
 * One continuation a generator produced: new tokens only, never the prompt.
 *
 * @param tokens       the picked tokens (a stop token is not included; the token that
 *                     completed a stop string is)
 * @param text         the text shown for them, cut before a stop string; null when the
 *                     generator had no detokenizer
 * @param finishReason why it ended
 * @param logprobs     one entry per token when log-probabilities were asked for, else empty
 */
public record Generation(int[] tokens, String text, FinishReason finishReason, List<TokenLogprob> logprobs) {

    public Generation {
        logprobs = List.copyOf(logprobs);
    }

    /** Sum of the tokens' log-probabilities (needs logprobs). */
    public double sumLogprob() {
        double sum = 0;
        for (TokenLogprob lp : logprobs) {
            sum += lp.logprob();
        }
        return sum;
    }
}
