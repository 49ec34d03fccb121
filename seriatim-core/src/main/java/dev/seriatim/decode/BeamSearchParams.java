package dev.seriatim.decode;

/**
 * Settings of {@link BeamSearch}, with Hugging Face {@code generate()}'s meanings.
 *
 * @param numBeams           beams kept at each step (1 = greedy)
 * @param lengthPenalty      alpha in the score {@code sum of logprobs / length^alpha}: above 0
 *                           favours longer sequences, below 0 shorter ones, 0 ranks by the sum
 * @param earlyStopping      true: stop as soon as {@code numBeams} finished sequences exist
 *                           (HF {@code early_stopping=True}); false: continue until no running
 *                           beam can still beat the worst of them (HF {@code "never"}, an
 *                           exact bound; HF's {@code False} is a heuristic in between)
 * @param numReturnSequences best finished sequences returned (at most numBeams)
 * @param noRepeatNgramSize  {@link NoRepeatNgram} size; 0 = off
 */
public record BeamSearchParams(int numBeams, float lengthPenalty, boolean earlyStopping, int numReturnSequences,
                               int noRepeatNgramSize) {

    public BeamSearchParams {
        if (numBeams < 1) {
            throw new IllegalArgumentException("the number of beams must be >= 1, got " + numBeams);
        }
        if (!Float.isFinite(lengthPenalty)) {
            throw new IllegalArgumentException("length penalty must be a finite number, got " + lengthPenalty);
        }
        if (numReturnSequences < 1 || numReturnSequences > numBeams) {
            throw new IllegalArgumentException("the number of returned sequences must be between 1 and the number of beams ("
                    + numBeams + "), got " + numReturnSequences);
        }
        if (noRepeatNgramSize < 0) {
            throw new IllegalArgumentException("no-repeat-ngram size must be >= 0 (0 = off), got " + noRepeatNgramSize);
        }
    }

    /** {@code numBeams} beams, length penalty 1, early stopping, the best sequence only. */
    public static BeamSearchParams of(int numBeams) {
        return new BeamSearchParams(numBeams, 1f, true, 1, 0);
    }
}
