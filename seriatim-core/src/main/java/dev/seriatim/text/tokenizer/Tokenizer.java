package dev.seriatim.text.tokenizer;

/**
 * Turns text into token ids and back, for one model vocabulary. Implementations are immutable
 * and safe to share between threads.
 */
public interface Tokenizer {

    /** Number of tokens in the vocabulary. */
    default int vocabSize() {
        return spec().vocabSize();
    }

    /**
     * Token ids for {@code text}, without BOS or EOS. Occurrences of the text of control,
     * user-defined and unknown tokens (such as {@code <|im_start|>}, {@code <unk>}) are split out first and mapped to those
     * ids, longer token texts before shorter ones, as llama.cpp does with {@code parse_special}.
     */
    int[] encode(String text);

    /** {@link #encode} with BOS prepended if {@code spec().addBos()} and EOS appended if
     * {@code spec().addEos()}. */
    int[] encodeWithSpecials(String text);

    /**
     * The raw UTF-8 bytes token {@code id} contributes to decoded text (a fresh array). Control
     * tokens contribute nothing; user-defined tokens contribute their text.
     */
    byte[] tokenBytes(int id);

    /** The concatenated bytes of the tokens, decoded as UTF-8 with U+FFFD for invalid bytes. */
    String decode(int[] ids);

    /** The vocabulary string of token {@code id}, as stored in the model file. */
    default String piece(int id) {
        return spec().tokens().get(spec().checkId(id));
    }

    /** Beginning-of-sequence id, -1 when the vocabulary has none. */
    default int bosId() {
        return spec().bosId();
    }

    /** End-of-sequence id, -1 when the vocabulary has none. */
    default int eosId() {
        return spec().eosId();
    }

    /** Whether token {@code id} is a control token (type 3). */
    default boolean isControl(int id) {
        return spec().tokenType(spec().checkId(id)) == TokenTypes.CONTROL;
    }

    /** The data this tokenizer was built from. */
    TokenizerSpec spec();
}
