package dev.seriatim.decode;

/**
 * What to generate.
 *
 * @param sampling how to pick each token
 * @param stop     when to stop
 * @param samples  independent continuations of the prompt (OpenAI's {@code n}); they share one
 *                 prefill, and sample {@code i} uses seed {@code sampling.seed() + i}, so it
 *                 does not depend on how many samples were asked for
 * @param logprobs -1: no log-probabilities; {@code k >= 0}: the picked token's and the
 *                 {@code k} most likely alternatives' at each step ({@link TokenLogprob})
 */
public record GenerationOptions(SamplingParams sampling, StopConditions stop, int samples, int logprobs) {

    public GenerationOptions {
        if (samples < 1) {
            throw new IllegalArgumentException("the number of samples must be >= 1, got " + samples);
        }
        if (logprobs < -1) {
            throw new IllegalArgumentException("logprobs must be >= 0 (or -1 for none), got " + logprobs);
        }
    }

    /** One sample, no log-probabilities. */
    public static GenerationOptions of(SamplingParams sampling, StopConditions stop) {
        return new GenerationOptions(sampling, stop, 1, -1);
    }
}
