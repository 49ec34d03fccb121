package dev.seriatim.text.tokenizer;

/**
 * Maps a pre-tokenizer regex as {@code tokenizer.json} spells it (a {@code Split} pattern) to the
 * GGUF {@code tokenizer.ggml.pre} name whose pre-tokenizer uses exactly that regex.
 */
public final class PreTokenizerRegexes {

    private PreTokenizerRegexes() {
    }

    /** The name, or null when Seriatim has no pre-tokenizer with this regex. */
    public static String nameOf(String regex) {
        if (regex == null) {
            return null;
        }
        if (regex.equals(PreTokenizer.LLAMA3)) {
            return "llama3";
        }
        if (regex.equals(PreTokenizer.QWEN2)) {
            return "qwen2";
        }
        if (regex.equals(PreTokenizer.GPT2)) {
            return "gpt-2";
        }
        return null;
    }
}
