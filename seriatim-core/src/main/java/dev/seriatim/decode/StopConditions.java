package dev.seriatim.decode;

import java.time.Duration;
import java.util.List;

/**
 * When a generation ends (whichever comes first).
 *
 * @param stopTokens  tokens that end it, such as end-of-sequence and end-of-turn; they are not
 *                    part of the result
 * @param maxTokens   most new tokens (the model's context may end it sooner)
 * @param stopStrings texts that end it even when split across tokens; the text is cut before
 *                    the stop string (see {@link StopStringMatcher}), the tokens keep the one
 *                    that completed it
 * @param timeLimit   wall-clock limit for the whole call (all samples), or null for none;
 *                    checked before each token
 */
public record StopConditions(int[] stopTokens, int maxTokens, List<String> stopStrings, Duration timeLimit) {

    public StopConditions {
        stopTokens = stopTokens.clone();
        stopStrings = List.copyOf(stopStrings);
        if (maxTokens < 0) {
            throw new IllegalArgumentException("max tokens must be >= 0, got " + maxTokens);
        }
        for (String s : stopStrings) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("a stop string must not be empty");
            }
        }
        if (timeLimit != null && (timeLimit.isNegative() || timeLimit.isZero())) {
            throw new IllegalArgumentException("time limit must be positive, got " + timeLimit);
        }
    }

    /** Stop tokens and a budget only. */
    public static StopConditions of(int[] stopTokens, int maxTokens) {
        return new StopConditions(stopTokens, maxTokens, List.of(), null);
    }

    public boolean isStopToken(int token) {
        for (int t : stopTokens) {
            if (t == token) {
                return true;
            }
        }
        return false;
    }
}
