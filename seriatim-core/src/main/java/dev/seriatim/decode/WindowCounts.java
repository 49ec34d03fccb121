package dev.seriatim.decode;

/**
 * How often each token occurs in a window of a history, counted into an array sized once for
 * the vocabulary and cleared after use by walking the same window (so a step costs the window
 * length, not the vocabulary size).
 */
final class WindowCounts {

    private int[] counts = new int[0];

    /** Counts positions {@code [from, to)} of the history; ids outside the vocabulary are ignored. */
    int[] count(TokenHistory history, int from, int to, int vocab) {
        if (counts.length < vocab) {
            counts = new int[vocab];
        }
        for (int i = from; i < to; i++) {
            int t = history.token(i);
            if (t >= 0 && t < counts.length) {
                counts[t]++;
            }
        }
        return counts;
    }

    /** Zeroes what {@link #count} counted over the same window. */
    void clear(TokenHistory history, int from, int to) {
        for (int i = from; i < to; i++) {
            int t = history.token(i);
            if (t >= 0 && t < counts.length) {
                counts[t] = 0;
            }
        }
    }
}
