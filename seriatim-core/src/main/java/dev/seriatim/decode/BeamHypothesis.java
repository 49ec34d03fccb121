package dev.seriatim.decode;

/**
 * A finished beam-search sequence.
 *
 * @param tokens       the generated tokens (the stop token that ended it is not included)
 * @param logprobs     log p of each generated token under the model (raw, before no-repeat-ngram)
 * @param sumLogprob   their sum, plus the stop token's log-probability when one ended it
 * @param score        {@code sumLogprob / length^lengthPenalty}, the length counting the stop
 *                     token too, as current Hugging Face releases do
 * @param finishReason STOP if a stop token ended it, LENGTH if the budget or context did
 */
public record BeamHypothesis(int[] tokens, double[] logprobs, double sumLogprob, double score,
                             FinishReason finishReason) {
}
