package dev.seriatim.app;

import dev.seriatim.text.tokenizer.Tokenizer;
import dev.seriatim.text.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code tokenize} and {@code detokenize} can use a tiktoken rank file instead of a model. */
final class TiktokenOptions {

    @Option(names = "--tokenizer", paramLabel = "FILE.tiktoken",
            description = "A tiktoken rank file (cl100k_base.tiktoken, o200k_base.tiktoken, or gzipped as .tiktoken.gz)"
                    + " to use instead of a model's tokenizer.")
    Path file;

    @Option(names = "--encoding", paramLabel = "NAME",
            description = "The encoding of --tokenizer: cl100k_base or o200k_base (default: from the file name).")
    String encoding;

    /** The rank file's tokenizer when --tokenizer is given, else the model's. */
    Tokenizer tokenizer(ModelOptions model) throws IOException {
        if (file == null) {
            if (encoding != null) {
                throw new InputException("--encoding needs --tokenizer FILE.tiktoken");
            }
            return model.tokenizer();
        }
        if (model.model != null) {
            throw new InputException("give --model or --tokenizer, not both");
        }
        if (!Files.isRegularFile(file)) {
            throw new InputException("tokenizer file not found: " + file);
        }
        return Tokenizers.tiktoken(file, encoding);
    }
}
