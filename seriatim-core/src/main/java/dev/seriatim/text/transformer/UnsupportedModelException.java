package dev.seriatim.text.transformer;

/** A well-formed model file that Seriatim cannot run: unknown architecture, missing tensor, bad shape. */
public final class UnsupportedModelException extends RuntimeException {

    public UnsupportedModelException(String message) {
        super(message);
    }
}
