package dev.seriatim.io.gguf;

/**
 * A GGUF file's content is malformed, truncated, inconsistent, or asks for something this reader
 * does not support; also thrown when a metadata key is missing or has an unexpected type.
 *
 * <p>The message always describes the problem in terms of the file (offsets, keys, tensor
 * names), so it can be shown to a user as is. Real I/O failures are reported as
 * {@link java.io.IOException} instead.
 */
public final class GgufFormatException extends RuntimeException {

    /** Creates an exception with a message naming the problem in the file. */
    public GgufFormatException(String message) {
        super(message);
    }

    /** Creates an exception with a message and the underlying cause. */
    public GgufFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
