package dev.seriatim.app;

/** Bad input the user can fix: reported in one line with exit code 2. */
final class InputException extends RuntimeException {

    InputException(String message) {
        super(message);
    }
}
