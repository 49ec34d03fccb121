package dev.seriatim.text.tokenizer;

import dev.seriatim.io.Utf8Strings;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Small hand-built vocabularies for tests. */
final class TestVocabularies {

    private TestVocabularies() {}

    /** Byte-level vocabulary builder: ids 0..255 are the 256 byte symbols (id = byte value). */
    static final class ByteLevel {
        final List<String> tokens = new ArrayList<>();
        final List<Integer> types = new ArrayList<>();
        final List<String> merges = new ArrayList<>();
        String pre = "gpt-2";
        int bos = -1;
        int eos = -1;
        boolean addBos;
        boolean addEos;

        ByteLevel() {
            for (int b = 0; b < 256; b++) {
                add(String.valueOf(ByteUnicodeTable.charOf(b)), TokenTypes.NORMAL);
            }
        }

        /** Adds a token, returning its id. */
        int add(String text, int type) {
            tokens.add(text);
            types.add(type);
            return tokens.size() - 1;
        }

        /** Adds merge "left right" (next rank) and its result token unless present; returns the
         * result's id. */
        int merge(String left, String right) {
            merges.add(left + " " + right);
            int at = tokens.indexOf(left + right);
            return at >= 0 ? at : add(left + right, TokenTypes.NORMAL);
        }

        TokenizerSpec spec() {
            // the compact lists a GGUF file gives, as real vocabularies come
            return new TokenizerSpec("gpt2", pre, Utf8Strings.of(tokens.toArray(String[]::new)), null,
                    types.stream().mapToInt(Integer::intValue).toArray(),
                    Utf8Strings.of(merges.toArray(String[]::new)), bos, eos, -1, -1, addBos, addEos, false);
        }

        ByteLevelBpeTokenizer build() {
            return new ByteLevelBpeTokenizer(spec());
        }
    }

    /** Id of the byte-level symbol for byte {@code b} in a {@link ByteLevel} vocabulary. */
    static int byteId(int b) {
        return b;
    }

    /**
     * SentencePiece vocabulary builder: 0 {@code <unk>}, 1 {@code <s>}, 2 {@code </s>}, then
     * (if byte tokens are wanted) {@code <0x00>}..{@code <0xFF>} at ids 3..258.
     */
    static final class SentencePiece {
        final List<String> tokens = new ArrayList<>();
        final List<Float> scores = new ArrayList<>();
        final List<Integer> types = new ArrayList<>();
        boolean addSpacePrefix = true;
        boolean addBos = true;
        boolean addEos;
        int unk = 0;

        SentencePiece(boolean byteTokens) {
            add("<unk>", 0f, TokenTypes.UNKNOWN);
            add("<s>", 0f, TokenTypes.CONTROL);
            add("</s>", 0f, TokenTypes.CONTROL);
            if (byteTokens) {
                HexFormat hex = HexFormat.of().withUpperCase();
                for (int b = 0; b < 256; b++) {
                    add("<0x" + hex.toHexDigits((byte) b) + ">", 0f, TokenTypes.BYTE);
                }
            }
        }

        int add(String text, float score, int type) {
            tokens.add(text);
            scores.add(score);
            types.add(type);
            return tokens.size() - 1;
        }

        int piece(String text, float score) {
            return add(text, score, TokenTypes.NORMAL);
        }

        TokenizerSpec spec() {
            float[] s = new float[scores.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = scores.get(i);
            }
            return new TokenizerSpec("llama", null, Utf8Strings.of(tokens.toArray(String[]::new)), s,
                    types.stream().mapToInt(Integer::intValue).toArray(), null, 1, 2, unk, -1,
                    addBos, addEos, addSpacePrefix);
        }

        SentencePieceBpeTokenizer build() {
            return new SentencePieceBpeTokenizer(spec());
        }
    }

    /** Id of byte token {@code <0xNN>} in a {@link SentencePiece} vocabulary with byte tokens. */
    static int spmByteId(int b) {
        return 3 + b;
    }
}
