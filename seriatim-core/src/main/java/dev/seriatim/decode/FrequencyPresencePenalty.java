package dev.seriatim.decode;

/**
 * The OpenAI API's frequency and presence penalties: for every candidate token that occurs
 * {@code c > 0} times among the counted tokens,
 * {@code logit := logit - c * frequency - presence}.
 *
 * <p>Counted tokens: as in the OpenAI API, only generated tokens, never the prompt; and, as in
 * llama.cpp, only the last {@code lastN} of them ({@code -1}: all generated tokens, {@code 0}:
 * off). Both penalties 0 is off; negative values encourage repeats. OpenAI accepts -2 .. 2.
 */
public final class FrequencyPresencePenalty implements LogitProcessor {

    private final float frequency;
    private final float presence;
    private final int lastN;
    private final WindowCounts window = new WindowCounts();

    public FrequencyPresencePenalty(float frequency, float presence, int lastN) {
        if (!Float.isFinite(frequency)) {
            throw new IllegalArgumentException("frequency penalty must be a finite number, got " + frequency);
        }
        if (!Float.isFinite(presence)) {
            throw new IllegalArgumentException("presence penalty must be a finite number, got " + presence);
        }
        if (lastN < -1) {
            throw new IllegalArgumentException("repeat-last-n must be >= -1 (-1 = whole sequence, 0 = off), got " + lastN);
        }
        this.frequency = frequency;
        this.presence = presence;
        this.lastN = lastN;
    }

    @Override
    public void apply(Candidates candidates, TokenHistory history) {
        if ((frequency == 0f && presence == 0f) || lastN == 0) {
            return;
        }
        int to = history.length();
        int from = lastN < 0 ? history.promptLength() : Math.max(history.promptLength(), to - lastN);
        int[] counts = window.count(history, from, to, candidates.capacity());
        for (int i = 0; i < candidates.size(); i++) {
            int c = counts[candidates.id(i)];
            if (c > 0) {
                candidates.setLogit(i, candidates.logit(i) - c * frequency - presence);
            }
        }
        window.clear(history, from, to);
    }
}
