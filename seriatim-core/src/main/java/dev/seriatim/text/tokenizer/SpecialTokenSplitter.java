package dev.seriatim.text.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts the text of control, user-defined and unknown tokens (such as {@code <unk>}) out of
 * input text, as llama.cpp's {@code tokenizer_st_partition} does with
 * {@code parse_special = true} (checked side by side with llama.cpp's llama-tokenize).
 *
 * <p>Rule: the special tokens are taken one at a time, longest text first (equal lengths by
 * ascending id); each one splits every still-plain fragment at each of its non-overlapping
 * occurrences, scanning left to right. So a longer special token wins over a shorter one it
 * overlaps, wherever they sit in the text. Tokens with empty text are ignored.
 */
final class SpecialTokenSplitter {

    /** A piece of the input: plain text {@code [start, end)} when {@code tokenId < 0}, else a
     * special token. */
    record Fragment(int start, int end, int tokenId) {
        boolean isSpecial() {
            return tokenId >= 0;
        }
    }

    private final String[] texts;
    private final int[] ids;

    SpecialTokenSplitter(TokenizerSpec spec) {
        List<Integer> special = new ArrayList<>();
        for (int id = 0; id < spec.vocabSize(); id++) {
            int type = spec.tokenType(id);
            if ((type == TokenTypes.CONTROL || type == TokenTypes.USER_DEFINED || type == TokenTypes.UNKNOWN)
                    && !spec.tokens().get(id).isEmpty()) {
                special.add(id);
            }
        }
        special.sort(Comparator.<Integer>comparingInt(id -> -spec.tokens().get(id).length())
                .thenComparingInt(id -> id));
        ids = special.stream().mapToInt(Integer::intValue).toArray();
        texts = Arrays.stream(ids).mapToObj(id -> spec.tokens().get(id)).toArray(String[]::new);
    }

    /** The fragments of {@code text}, in order; empty for empty text. */
    List<Fragment> split(String text) {
        List<Fragment> fragments = new ArrayList<>();
        if (text.isEmpty()) {
            return fragments;
        }
        fragments.add(new Fragment(0, text.length(), -1));
        for (int s = 0; s < texts.length; s++) {
            String special = texts[s];
            if (!text.contains(special)) {
                continue;
            }
            List<Fragment> next = new ArrayList<>(fragments.size() + 4);
            for (Fragment fragment : fragments) {
                if (fragment.isSpecial()) {
                    next.add(fragment);
                    continue;
                }
                int from = fragment.start();
                while (true) {
                    int at = text.indexOf(special, from);
                    if (at < 0 || at + special.length() > fragment.end()) {
                        break;
                    }
                    if (at > from) {
                        next.add(new Fragment(from, at, -1));
                    }
                    next.add(new Fragment(at, at + special.length(), ids[s]));
                    from = at + special.length();
                }
                if (from < fragment.end()) {
                    next.add(new Fragment(from, fragment.end(), -1));
                }
            }
            fragments = next;
        }
        return fragments;
    }
}
