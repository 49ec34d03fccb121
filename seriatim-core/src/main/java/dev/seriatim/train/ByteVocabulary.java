package dev.seriatim.train;

import dev.seriatim.io.gguf.GgufWriter;
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

    /** Adds the tokenizer.ggml.* keys. */
    public static void write(GgufWriter writer) {
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
        writer.putString("tokenizer.ggml.model", "llama");
        writer.putStrings("tokenizer.ggml.tokens", tokens);
        writer.putFloats("tokenizer.ggml.scores", scores);
        writer.putInt32s("tokenizer.ggml.token_type", types);
        writer.putUInt32("tokenizer.ggml.bos_token_id", BOS);
        writer.putUInt32("tokenizer.ggml.eos_token_id", EOS);
        writer.putBool("tokenizer.ggml.add_bos_token", false);
        writer.putBool("tokenizer.ggml.add_space_prefix", false);
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
