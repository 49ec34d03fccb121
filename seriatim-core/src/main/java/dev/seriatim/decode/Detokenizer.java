package dev.seriatim.decode;

/**
 * Turns a stream of tokens into text as it is generated: each {@link #push} returns the text
 * that became final with that token (a piece never ends inside a character), {@link #flush}
 * whatever was held back. One instance per stream. {@code text.tokenizer.IncrementalDecoder}
 * is the one for text models.
 */
public interface Detokenizer {

    /** Adds a token; returns the text now final (possibly empty). */
    String push(int token);

    /** Returns the text still held back and empties the buffer. */
    String flush();
}
