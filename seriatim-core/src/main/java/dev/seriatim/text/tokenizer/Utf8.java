package dev.seriatim.text.tokenizer;

import java.nio.charset.StandardCharsets;

/** UTF-8 helpers for decoding token bytes. */
final class Utf8 {

    private Utf8() {}

    /** Decodes {@code bytes[0, length)}, each invalid sequence becoming U+FFFD. */
    static String decode(byte[] bytes, int length) {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    /**
     * How many bytes at the end of {@code bytes[0, length)} form the beginning of a well-formed
     * UTF-8 sequence that is not finished yet (0 to 3). Such a tail must wait for the next bytes;
     * anything before it decodes the same whatever follows.
     */
    static int incompleteTail(byte[] bytes, int length) {
        for (int back = 1; back <= 3 && back <= length; back++) {
            int b = bytes[length - back] & 0xFF;
            if (b < 0x80) {
                return 0;
            }
            if (b < 0xC0) {
                continue; // continuation byte: look further back for the lead byte
            }
            int need = sequenceLength(b);
            if (need <= back) {
                return 0;
            }
            for (int i = 1; i < back; i++) {
                int c = bytes[length - back + i] & 0xFF;
                if (!continuationAllowed(b, i, c)) {
                    return 0;
                }
            }
            return back;
        }
        return 0;
    }

    /** Total length of the sequence lead byte {@code b} starts; 0 for bytes that start none. */
    private static int sequenceLength(int b) {
        if (b >= 0xC2 && b <= 0xDF) {
            return 2;
        }
        if (b >= 0xE0 && b <= 0xEF) {
            return 3;
        }
        if (b >= 0xF0 && b <= 0xF4) {
            return 4;
        }
        return 0;
    }

    /** Whether {@code c} may be byte {@code index} (1-based after the lead) of a sequence led
     * by {@code lead}, per the Unicode table of well-formed UTF-8 byte sequences. */
    private static boolean continuationAllowed(int lead, int index, int c) {
        if (index == 1) {
            return switch (lead) {
                case 0xE0 -> c >= 0xA0 && c <= 0xBF;
                case 0xED -> c >= 0x80 && c <= 0x9F;
                case 0xF0 -> c >= 0x90 && c <= 0xBF;
                case 0xF4 -> c >= 0x80 && c <= 0x8F;
                default -> c >= 0x80 && c <= 0xBF;
            };
        }
        return c >= 0x80 && c <= 0xBF;
    }
}
