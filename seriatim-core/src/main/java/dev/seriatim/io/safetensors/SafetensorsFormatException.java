package dev.seriatim.io.safetensors;

/**
 * A safetensors file whose header is malformed, inconsistent or unsupported. The message names
 * the file and what is wrong, so it can be shown to a user as is.
 */
public final class SafetensorsFormatException extends RuntimeException {

    public SafetensorsFormatException(String message) {
        super(message);
    }

    public SafetensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
