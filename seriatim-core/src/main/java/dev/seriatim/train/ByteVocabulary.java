package dev.seriatim.train;

import dev.seriatim.io.gguf.GgufArray;
import dev.seriatim.io.gguf.GgufValue;
import java.util.Locale;

/**
 * The byte-level vocabulary of models Seriatim trains, in SentencePiece ("llama") form so that
 * every GGUF tool can tokenize with it: token b is byte b, then BOS and EOS.
 *
 * <p>Bytes are byte tokens {@code <0xNN>}, except byte 0x20, which is the normal token
 * {@code "\u2581"}: a SentencePiece tokenizer turns spaces into that marker before looking
 * pieces up, so a space must be a piece of its own to stay one token (as byte fallback it
 * would become the marker's three UTF-8 bytes). With {@code add_space_prefix} off, encoding any
 * text gives exactly its UTF-8 bytes as ids, and decoding gives the text back. (The one
 * exception is a literal U+2581 in the text, which SentencePiece reads as a space.)
 */
public final class ByteVocabulary {

    public static final int BYTES = 256;
    public static final int BOS = 256;
    public static final int EOS = 257;
    public static final int SIZE = 258;

    private static final int NORMAL = 1;
    private static final int CONTROL = 3;
    private static final int BYTE = 6;

    private ByteVocabulary() {}

    /** The tokenizer.ggml.* keys. */
    public static java.util.Map<String, GgufValue> keys() {
        String[] tokens = new String[SIZE];
        int[] types = new int[SIZE];
        float[] scores = new float[SIZE];
        for (int b = 0; b < BYTES; b++) {
            tokens[b] = b == ' ' ? "\u2581" : String.format(Locale.ROOT, "<0x%02X>", b);
            types[b] = b == ' ' ? NORMAL : BYTE;
        }
        tokens[BOS] = "<s>";
        types[BOS] = CONTROL;
        tokens[EOS] = "</s>";
        types[EOS] = CONTROL;
        java.util.Map<String, GgufValue> keys = new java.util.LinkedHashMap<>();
        keys.put("tokenizer.ggml.model", GgufValue.string("llama"));
        keys.put("tokenizer.ggml.tokens", GgufValue.array(GgufArray.ofStrings(tokens)));
        keys.put("tokenizer.ggml.scores", GgufValue.array(GgufArray.ofFloats(scores)));
        keys.put("tokenizer.ggml.token_type", GgufValue.array(GgufArray.ofInt32(types)));
        keys.put("tokenizer.ggml.bos_token_id", GgufValue.uint32(BOS));
        keys.put("tokenizer.ggml.eos_token_id", GgufValue.uint32(EOS));
        keys.put("tokenizer.ggml.add_bos_token", GgufValue.bool(false));
        keys.put("tokenizer.ggml.add_space_prefix", GgufValue.bool(false));
        return keys;
    }

    /** Token ids of raw bytes: the byte values themselves. */
    public static int[] ids(byte[] bytes, int from, int count) {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = bytes[from + i] & 0xFF;
        }
        return ids;
    }
}
