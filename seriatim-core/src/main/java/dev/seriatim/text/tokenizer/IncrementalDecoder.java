package dev.seriatim.text.tokenizer;

import dev.seriatim.decode.Detokenizer;
import java.util.Arrays;

/**
 * Decodes a stream of token ids one at a time, for printing text while it is generated.
 *
 * <p>Rule: {@link #push} returns the text that became final with this token. Bytes that may be
 * the start of a multi-byte character split across tokens are held back until the character
 * completes or proves invalid; {@link #flush} returns whatever is left, invalid bytes as U+FFFD.
 * A SentencePiece tokenizer's leading-space rule is applied as in its {@code decode}, so the
 * concatenation of all {@code push} results and {@code flush} equals {@code decode} of all ids.
 * Not thread-safe; one instance per stream.
 */
public final class IncrementalDecoder implements Detokenizer {

    private final Tokenizer tokenizer;
    private boolean dropSpace;
    private byte[] pending = new byte[16];
    private int pendingLength;

    public IncrementalDecoder(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
        this.dropSpace = tokenizer instanceof SentencePieceBpeTokenizer spm && spm.dropsLeadingSpace();
    }

    /** Adds token {@code id}; returns the text now final (possibly empty). */
    @Override
    public String push(int id) {
        byte[] bytes = tokenizer.tokenBytes(id);
        int from = 0;
        if (dropSpace && bytes.length > 0) {
            dropSpace = false;
            if (bytes[0] == ' ') {
                from = 1;
            }
        }
        append(bytes, from);
        int ready = pendingLength - Utf8.incompleteTail(pending, pendingLength);
        if (ready == 0) {
            return "";
        }
        String text = Utf8.decode(pending, ready);
        System.arraycopy(pending, ready, pending, 0, pendingLength - ready);
        pendingLength -= ready;
        return text;
    }

    /** Returns the bytes still held back, decoded with U+FFFD for what is incomplete, and
     * empties the buffer. The leading-space state is kept: this continues the same stream. */
    @Override
    public String flush() {
        String text = Utf8.decode(pending, pendingLength);
        pendingLength = 0;
        return text;
    }

    private void append(byte[] bytes, int from) {
        int count = bytes.length - from;
        if (pendingLength + count > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + count));
        }
        System.arraycopy(bytes, from, pending, pendingLength, count);
        pendingLength += count;
    }
}
