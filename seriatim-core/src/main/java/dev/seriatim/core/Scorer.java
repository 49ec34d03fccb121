package dev.seriatim.core;

/**
 * Scores a sequence with the generation loop, the element given instead of picked. A sequence
 * longer than the model's context is scored in consecutive windows of the context size; the
 * first element of each window starts afresh and is not scored.
 */
public final class Scorer {

    private Scorer() {
    }

    /** log p(x_t | x_&lt;t within its window) for every t, NaN where a window starts. */
    public static <S> SequenceScore score(CategoricalModel<S> model, int[] tokens) {
        double[] logprobs = new double[tokens.length];
        int window = model.maxLength();
        int vocab = model.vocabSize();
        S state = model.newState();
        for (int start = 0; start < tokens.length; start += window) {
            int end = Math.min(tokens.length, start + window);
            // each window starts afresh: the previous window's cache must not be seen
            model.reset(state);
            logprobs[start] = Double.NaN;
            model.appendScoring(state, tokens, start, end - start, (index, logits, offset) -> {
                if (index + 1 < end) {
                    logprobs[index + 1] = LogSoftmax.logProbability(logits, offset, vocab, tokens[index + 1]);
                }
            });
        }
        return new SequenceScore(tokens.clone(), logprobs);
    }
}
