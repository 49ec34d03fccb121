package dev.seriatim.decode;

import java.util.Arrays;

/**
 * The sequence a generation has seen: the prompt followed by the tokens generated so far.
 * Penalties read it; the generators append every picked token to it.
 */
public final class TokenHistory {

    private int[] tokens;
    private final int promptLength;
    private int length;

    /** A history that starts with the prompt (copied). */
    public TokenHistory(int[] prompt) {
        tokens = Arrays.copyOf(prompt, Math.max(16, prompt.length * 2));
        promptLength = prompt.length;
        length = prompt.length;
    }

    private TokenHistory(TokenHistory other) {
        tokens = other.tokens.clone();
        promptLength = other.promptLength;
        length = other.length;
    }

    public TokenHistory copy() {
        return new TokenHistory(this);
    }

    public void add(int token) {
        if (length == tokens.length) {
            tokens = Arrays.copyOf(tokens, tokens.length * 2);
        }
        tokens[length++] = token;
    }

    /** Forgets the generated tokens, keeping the prompt. */
    public void truncateToPrompt() {
        length = promptLength;
    }

    /** Prompt and generated tokens together. */
    public int length() {
        return length;
    }

    public int promptLength() {
        return promptLength;
    }

    public int generatedCount() {
        return length - promptLength;
    }

    /** Token at position {@code i} of the whole sequence (prompt first). */
    public int token(int i) {
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException(i);
        }
        return tokens[i];
    }

    /** The generated tokens (a fresh array). */
    public int[] generated() {
        return Arrays.copyOfRange(tokens, promptLength, length);
    }
}
