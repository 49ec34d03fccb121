package dev.seriatim.text.tokenizer;

import dev.seriatim.io.Utf8Strings;
import java.util.List;

/**
 * The id of each token text, without boxing: an open-addressing table whose slots hold a
 * text's hash code and its id packed in one long, the texts themselves staying in the token
 * list. A vocabulary of 128k tokens costs 2 MB here where a {@code HashMap<String, Integer>}
 * costs about 7 MB (an entry object and an Integer per token). Comparing the stored hash first
 * means a probe reads a text only when the hashes agree, so a miss, the common case while
 * merging, seldom leaves the slot array.
 *
 * <p>Rule: when two tokens have the same text the higher id wins, as in llama.cpp.
 */
final class TokenIdTable {

    private static final long EMPTY = -1L; // id -1, which no token has

    private final List<String> texts;
    /** texts when it is a GGUF vocabulary's compact list, compared in place rather than decoded per probe. */
    private final Utf8Strings compact;
    private final long[] slots;
    private final int mask;

    /** Indexes {@code texts} (not copied; it must not change afterwards). */
    TokenIdTable(List<String> texts) {
        this.texts = texts;
        this.compact = texts instanceof Utf8Strings strings ? strings : null;
        // load factor at most 1/2 keeps probe runs short
        int capacity = Integer.highestOneBit(Math.max(2, texts.size()) * 2 - 1) << 1;
        this.slots = new long[capacity];
        this.mask = capacity - 1;
        java.util.Arrays.fill(slots, EMPTY);
        for (int id = 0; id < texts.size(); id++) {
            put(texts.get(id), id);
        }
    }

    private void put(String text, int id) {
        int hash = text.hashCode();
        for (int i = slot(hash); ; i = (i + 1) & mask) {
            long s = slots[i];
            if (s == EMPTY || (int) (s >>> 32) == hash && textIs((int) s, text)) {
                slots[i] = ((long) hash << 32) | id; // ids ascend, so a later duplicate wins
                return;
            }
        }
    }

    private boolean textIs(int id, String text) {
        return compact != null ? compact.equalsAt(id, text) : texts.get(id).equals(text);
    }

    /** The id of the token with text {@code text}, or -1. */
    int idOf(String text) {
        int hash = text.hashCode();
        for (int i = slot(hash); ; i = (i + 1) & mask) {
            long s = slots[i];
            if (s == EMPTY) {
                return -1;
            }
            if ((int) (s >>> 32) == hash && textIs((int) s, text)) {
                return (int) s;
            }
        }
    }

    private int slot(int hash) {
        // Fibonacci hashing: String hashes of short texts differ mostly in their low bits
        return (int) ((hash * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }
}
