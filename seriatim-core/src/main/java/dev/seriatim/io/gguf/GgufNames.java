package dev.seriatim.io.gguf;

/**
 * Quotes keys and tensor names for error messages. Names come from possibly hostile files, so
 * control characters are escaped and long names shortened to keep messages one readable line.
 */
final class GgufNames {

    static final int MAX_SHOWN = 96;

    private GgufNames() {}

    /** {@code name} in single quotes, control characters as {@code \\uXXXX}, cut after 96 chars. */
    static String quote(String name) {
        StringBuilder sb = new StringBuilder(Math.min(name.length(), MAX_SHOWN) + 8).append('\'');
        int shown = Math.min(name.length(), MAX_SHOWN);
        for (int i = 0; i < shown; i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (name.length() > MAX_SHOWN) {
            sb.append("...(").append(name.length()).append(" chars)");
        }
        return sb.append('\'').toString();
    }
}
