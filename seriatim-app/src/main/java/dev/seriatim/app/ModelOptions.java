package dev.seriatim.app;

import dev.seriatim.text.TextModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that loads a model shares. */
final class ModelOptions {

    @Option(names = {"-m", "--model"}, paramLabel = "FILE",
            description = "GGUF model file (llama, qwen2 or gpt2 architecture).")
    Path model;

    @Option(names = {"-t", "--threads"}, paramLabel = "N",
            description = "Worker threads for the matrix products (default: number of cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = {"-c", "--context"}, paramLabel = "N",
            description = "Positions to reserve in the KV cache (default 0: the model's context, at most "
                    + TextModel.DEFAULT_CONTEXT + ").")
    int context = 0;

    @Option(names = "--verbose", description = "Show the stack trace when something fails.")
    boolean verbose;

    /** The model file, checked to exist and be readable. */
    Path modelPath() {
        if (model == null) {
            throw new InputException("no model given: pass --model FILE.gguf (no default model is embedded yet;"
                    + " 'seriatim random-model --out FILE.gguf' writes a random one to try things with)");
        }
        if (!Files.exists(model)) {
            throw new InputException("model file not found: " + model);
        }
        if (!Files.isRegularFile(model)) {
            throw new InputException("model path is not a regular file: " + model);
        }
        if (!Files.isReadable(model)) {
            throw new InputException("model file is not readable: " + model);
        }
        return model;
    }

    TextModel open() throws IOException {
        if (threads < 1 || threads > 1024) {
            throw new InputException("--threads must be between 1 and 1024, got " + threads);
        }
        if (context < 0) {
            throw new InputException("--context must be >= 0, got " + context);
        }
        return TextModel.open(modelPath(), threads, context);
    }
}
