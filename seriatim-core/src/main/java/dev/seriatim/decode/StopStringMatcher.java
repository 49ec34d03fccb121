package dev.seriatim.decode;

import java.util.List;

/**
 * Finds stop strings in generated text that arrives in pieces, so that a stop string split
 * across several tokens is still found and never shown.
 *
 * <p>Rule: text is released only once it cannot be the start of a stop string; the longest
 * end of the pending text that is a prefix of some stop string is held back. When a stop
 * string appears, the text before it is released, the stop string and anything after it are
 * dropped, and the matcher is {@linkplain #stopped() stopped}. If several stop strings appear
 * in the same pending text, the one that starts first wins (then the longest). Not
 * thread-safe; one instance per stream.
 */
public final class StopStringMatcher {

    private final String[] stops;
    private final StringBuilder pending = new StringBuilder();
    private boolean stopped;

    public StopStringMatcher(List<String> stops) {
        for (String s : stops) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("a stop string must not be empty");
            }
        }
        this.stops = stops.toArray(new String[0]);
    }

    /** Whether a stop string has been seen; later pieces are ignored. */
    public boolean stopped() {
        return stopped;
    }

    /** Adds a piece of text; returns the text that is now certain to be shown (possibly empty). */
    public String push(String piece) {
        if (stopped) {
            return "";
        }
        pending.append(piece);
        if (stops.length == 0) {
            return take(pending.length());
        }
        int at = -1;
        for (String s : stops) {
            int i = pending.indexOf(s);
            if (i >= 0 && (at < 0 || i < at)) {
                at = i;
            }
        }
        if (at >= 0) {
            stopped = true;
            String out = pending.substring(0, at);
            pending.setLength(0);
            return out;
        }
        return take(pending.length() - heldBack());
    }

    /** The text still held back, at the end of the stream when no stop string came. */
    public String finish() {
        return stopped ? "" : take(pending.length());
    }

    /** Length of the longest end of the pending text that some stop string starts with. */
    private int heldBack() {
        int longest = 0;
        for (String s : stops) {
            int max = Math.min(s.length() - 1, pending.length());
            for (int len = max; len > longest; len--) {
                if (endsWithPrefix(s, len)) {
                    longest = len;
                    break;
                }
            }
        }
        return longest;
    }

    private boolean endsWithPrefix(String stop, int len) {
        int start = pending.length() - len;
        for (int i = 0; i < len; i++) {
            if (pending.charAt(start + i) != stop.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private String take(int count) {
        String out = pending.substring(0, count);
        pending.delete(0, count);
        return out;
    }
}
