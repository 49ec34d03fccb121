package dev.seriatim.text.tokenizer;

import java.util.Random;

/** Random strings mixing scripts, emoji, digits, punctuation and whitespace runs. */
public final class RandomText {

    private static final String[] FRAGMENTS = {
        " ", "  ", "\n", "\n\n", "\t", " \n ", "\u3000", "'s", "'LL", "'t", "12345", "3.14",
        "the", "The", " quick", "über", "naïve", "<", "</", ">", "!!", "?", "(x)", "{}", "\r\n",
    };

    private RandomText() {}

    public static String next(Random random, int maxCodePoints) {
        int n = random.nextInt(maxCodePoints + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(9)) {
                case 0 -> sb.append((char) (0x20 + random.nextInt(0x5F)));         // printable ASCII
                case 1 -> sb.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
                case 2 -> sb.append((char) (0x4E00 + random.nextInt(0x5200)));     // CJK
                case 3 -> sb.append((char) (0x0621 + random.nextInt(0x2A)));       // Arabic letters
                case 4 -> sb.appendCodePoint(0x1F600 + random.nextInt(0x50));      // emoji, 4 bytes
                case 5 -> sb.append((char) (0xC0 + random.nextInt(0x140)));        // Latin-1/Ext-A
                case 6 -> sb.append(" \t\n".charAt(random.nextInt(3)));
                case 7 -> sb.append((char) ('0' + random.nextInt(10)));
                default -> sb.appendCodePoint(randomScalar(random));
            }
        }
        return sb.toString();
    }

    /** Any Unicode scalar value except surrogates and U+2581 (SentencePiece's space mark). */
    private static int randomScalar(Random random) {
        while (true) {
            int c = random.nextInt(2) == 0 ? random.nextInt(0x10000) : random.nextInt(0x110000);
            if ((c < 0xD800 || c > 0xDFFF) && c != 0x2581) {
                return c;
            }
        }
    }
}
