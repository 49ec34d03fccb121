package dev.seriatim.text.tokenizer;

import java.util.Arrays;

/**
 * GPT-2's reversible map between bytes and printable code points, used by byte-level BPE
 * vocabularies. Rule: bytes {@code '!'..'~'}, {@code 0xA1..0xAC} and {@code 0xAE..0xFF} map to
 * the code point of the same value; the remaining 68 bytes, in ascending order, map to
 * U+0100, U+0101, ... (so space 0x20 becomes U+0120 'Ġ' and newline 0x0A becomes U+010A 'Ċ').
 */
final class ByteUnicodeTable {

    private static final char[] CHAR_OF_BYTE = new char[256];
    private static final int[] BYTE_OF_CHAR = new int[0x144];

    static {
        int next = 0x100;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
            CHAR_OF_BYTE[b] = (char) (printable ? b : next++);
        }
        Arrays.fill(BYTE_OF_CHAR, -1);
        for (int b = 0; b < 256; b++) {
            BYTE_OF_CHAR[CHAR_OF_BYTE[b]] = b;
        }
    }

    private ByteUnicodeTable() {}

    /** The code point standing for byte {@code b} (0..255). */
    static char charOf(int b) {
        return CHAR_OF_BYTE[b & 0xFF];
    }

    /** {@code bytes} spelled one character per byte. */
    static String spell(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = charOf(bytes[i]);
        }
        return new String(chars);
    }

    /** The byte code point {@code c} stands for, or -1 if it stands for none. */
    static int byteOf(int c) {
        return c >= 0 && c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
    }
}
