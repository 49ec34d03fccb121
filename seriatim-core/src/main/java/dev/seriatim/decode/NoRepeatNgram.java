package dev.seriatim.decode;

/**
 * Hugging Face's {@code no_repeat_ngram_size}: no n-gram of size {@code n} may occur twice in
 * the sequence (prompt included). A candidate token that, appended to the last {@code n - 1}
 * tokens, would repeat an n-gram already present gets logit {@code -infinity}. {@code n = 0}
 * is off; {@code n = 1} bans every token already in the sequence.
 */
public final class NoRepeatNgram implements LogitProcessor {

    private final int n;
    private boolean[] banned = new boolean[0];

    public NoRepeatNgram(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("no-repeat-ngram size must be >= 0 (0 = off), got " + n);
        }
        this.n = n;
    }

    @Override
    public void apply(Candidates candidates, TokenHistory history) {
        int len = history.length();
        if (n == 0 || len < n - 1 || len == 0 && n == 1) {
            return;
        }
        if (banned.length < candidates.capacity()) {
            banned = new boolean[candidates.capacity()];
        }
        int any = 0;
        // every earlier n-gram whose first n-1 tokens equal the sequence's last n-1 tokens
        for (int start = 0; start + n <= len; start++) {
            if (matchesTail(history, start, len)) {
                int t = history.token(start + n - 1);
                if (t >= 0 && t < banned.length) {
                    banned[t] = true;
                    any++;
                }
            }
        }
        if (any == 0) {
            return;
        }
        for (int i = 0; i < candidates.size(); i++) {
            if (banned[candidates.id(i)]) {
                candidates.setLogit(i, Float.NEGATIVE_INFINITY);
            }
        }
        for (int start = 0; start + n <= len; start++) {
            int t = history.token(start + n - 1);
            if (t >= 0 && t < banned.length) {
                banned[t] = false;
            }
        }
    }

    private boolean matchesTail(TokenHistory history, int start, int len) {
        int tail = len - (n - 1);
        for (int k = 0; k < n - 1; k++) {
            if (history.token(start + k) != history.token(tail + k)) {
                return false;
            }
        }
        return true;
    }
}
