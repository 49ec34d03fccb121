package dev.seriatim.text.tokenizer;

/** The values of GGUF's {@code tokenizer.ggml.token_type}, as llama.cpp defines them. */
public final class TokenTypes {
    /** Type not recorded; treated as normal. */
    public static final int UNDEFINED = 0;
    /** Ordinary vocabulary entry produced by the tokenizer model. */
    public static final int NORMAL = 1;
    /** The unknown token. */
    public static final int UNKNOWN = 2;
    /** Control token such as BOS, EOS or {@code <|im_start|>}: no text of its own. */
    public static final int CONTROL = 3;
    /** Added token whose text stands for itself, split out of input text before the model runs. */
    public static final int USER_DEFINED = 4;
    /** Reserved, never produced. */
    public static final int UNUSED = 5;
    /** SentencePiece byte token {@code <0xNN>}. */
    public static final int BYTE = 6;

    private TokenTypes() {}
}
