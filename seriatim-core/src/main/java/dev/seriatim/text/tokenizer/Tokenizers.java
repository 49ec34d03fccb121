package dev.seriatim.text.tokenizer;

import java.io.IOException;
import java.nio.file.Path;

/** Builds the tokenizer a vocabulary's {@code tokenizer.ggml.model} calls for, or one from a
 * tiktoken rank file. */
public final class Tokenizers {

    private Tokenizers() {}

    /**
     * A {@link ByteLevelBpeTokenizer} for models {@code "gpt2"} and {@code "tiktoken"}, a
     * {@link SentencePieceBpeTokenizer} for model {@code "llama"}.
     *
     * @throws IllegalArgumentException for any other model, or a spec the tokenizer rejects
     */
    public static Tokenizer from(TokenizerSpec spec) {
        return switch (spec.model()) {
            case "gpt2", "tiktoken" -> new ByteLevelBpeTokenizer(spec);
            case "llama" -> new SentencePieceBpeTokenizer(spec);
            default -> throw new IllegalArgumentException("tokenizer model '" + spec.model()
                    + "' is not supported (supported: gpt2, llama, tiktoken)");
        };
    }

    /**
     * The tokenizer of a tiktoken encoding from its rank file ({@code cl100k_base.tiktoken},
     * optionally gzipped as {@code .tiktoken.gz}).
     *
     * @param encoding the encoding's name ({@code cl100k_base}, {@code o200k_base}); null takes
     *                 it from the file name
     * @throws IllegalArgumentException if the file is not a rank file of that encoding, or the
     *                                  name is not a known encoding
     */
    public static Tokenizer tiktoken(Path file, String encoding) throws IOException {
        String name = encoding != null ? encoding : encodingOfFileName(file);
        TiktokenEncoding e = TiktokenEncoding.forName(name);
        return new ByteLevelBpeTokenizer(e.spec(TiktokenFile.read(file), file.toString()));
    }

    private static String encodingOfFileName(Path file) {
        String name = file.getFileName().toString();
        for (String suffix : new String[] {".tiktoken.gz", ".tiktoken"}) {
            if (name.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        throw new IllegalArgumentException("cannot tell the tiktoken encoding of " + file
                + " from its name; name it (cl100k_base, o200k_base)");
    }
}
