package dev.seriatim.decode;

/**
 * The repetition penalty of the CTRL paper as llama.cpp and Hugging Face apply it: for every
 * candidate whose token occurs at least once in the last {@code lastN} tokens of the sequence
 * (prompt and generated tokens alike), {@code logit := logit / penalty} if the logit is
 * positive and {@code logit := logit * penalty} otherwise. How often it occurred does not
 * matter.
 *
 * <p>Window: llama.cpp's {@code repeat_last_n} ({@code lastN = -1}: the whole sequence,
 * {@code 0}: off). Hugging Face has no window (it always looks at the whole sequence, which is
 * {@code lastN = -1} here). {@code penalty = 1} is off; values above 1 discourage repeats,
 * below 1 encourage them.
 */
public final class RepetitionPenalty implements LogitProcessor {

    private final float penalty;
    private final int lastN;
    private final WindowCounts window = new WindowCounts();

    public RepetitionPenalty(float penalty, int lastN) {
        if (!(penalty > 0) || Float.isInfinite(penalty)) {
            throw new IllegalArgumentException("repeat penalty must be a finite number > 0 (1 = off), got " + penalty);
        }
        if (lastN < -1) {
            throw new IllegalArgumentException("repeat-last-n must be >= -1 (-1 = whole sequence, 0 = off), got " + lastN);
        }
        this.penalty = penalty;
        this.lastN = lastN;
    }

    @Override
    public void apply(Candidates candidates, TokenHistory history) {
        if (penalty == 1f || lastN == 0) {
            return;
        }
        int to = history.length();
        int from = lastN < 0 ? 0 : Math.max(0, to - lastN);
        int[] counts = window.count(history, from, to, candidates.capacity());
        for (int i = 0; i < candidates.size(); i++) {
            if (counts[candidates.id(i)] > 0) {
                float l = candidates.logit(i);
                candidates.setLogit(i, l > 0 ? l / penalty : l * penalty);
            }
        }
        window.clear(history, from, to);
    }
}
