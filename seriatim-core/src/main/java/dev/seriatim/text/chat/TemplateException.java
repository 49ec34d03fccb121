package dev.seriatim.text.chat;

/**
 * A chat template that cannot be parsed or rendered: a syntax error, a construct outside the
 * supported Jinja subset, a type error, or the template's own {@code raise_exception}. The
 * message says which, with the template line where known; rendering never returns partial text.
 */
public final class TemplateException extends RuntimeException {

    public TemplateException(String message) {
        super(message);
    }
}
