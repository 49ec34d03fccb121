package dev.seriatim.text.tokenizer;

/** Builds the tokenizer a vocabulary's {@code tokenizer.ggml.model} calls for. */
public final class Tokenizers {

    private Tokenizers() {}

    /**
     * A {@link ByteLevelBpeTokenizer} for model {@code "gpt2"}, a
     * {@link SentencePieceBpeTokenizer} for model {@code "llama"}.
     *
     * @throws IllegalArgumentException for any other model, or a spec the tokenizer rejects
     */
    public static Tokenizer from(TokenizerSpec spec) {
        return switch (spec.model()) {
            case "gpt2" -> new ByteLevelBpeTokenizer(spec);
            case "llama" -> new SentencePieceBpeTokenizer(spec);
            default -> throw new IllegalArgumentException("tokenizer model '" + spec.model()
                    + "' is not supported (supported: gpt2, llama)");
        };
    }
}
