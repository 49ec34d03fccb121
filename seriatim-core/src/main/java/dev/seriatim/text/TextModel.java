package dev.seriatim.text;

import dev.seriatim.io.gguf.GgufFile;
import dev.seriatim.tensor.Parallel;
import dev.seriatim.text.tokenizer.Tokenizer;
import dev.seriatim.text.tokenizer.Tokenizers;
import dev.seriatim.text.transformer.Transformer;
import dev.seriatim.text.transformer.TransformerConfig;
import dev.seriatim.text.transformer.TransformerLoader;
import dev.seriatim.text.transformer.TransformerWeights;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A language model ready to use: the mapped GGUF file, its transformer, its tokenizer and the
 * worker threads. Closing it unmaps the file and stops the threads.
 */
public final class TextModel implements AutoCloseable {

    /** Context used when the caller does not choose one and the model allows more. */
    public static final int DEFAULT_CONTEXT = 4096;

    private final GgufFile file;
    private final Transformer transformer;
    private final Tokenizer tokenizer;
    private final Parallel parallel;

    private TextModel(GgufFile file, Transformer transformer, Tokenizer tokenizer, Parallel parallel) {
        this.file = file;
        this.transformer = transformer;
        this.tokenizer = tokenizer;
        this.parallel = parallel;
    }

    /**
     * Opens a GGUF model.
     *
     * @param threads worker threads for the matrix products (at least 1)
     * @param context positions to allocate the KV cache for; 0 means min(model context, {@value #DEFAULT_CONTEXT})
     */
    public static TextModel open(Path path, int threads, int context) throws IOException {
        GgufFile file = GgufFile.open(path);
        Parallel parallel = null;
        try {
            TransformerConfig config = TransformerLoader.config(file);
            TransformerWeights weights = TransformerLoader.weights(file, config);
            Tokenizer tokenizer = Tokenizers.from(GgufTokenizerSpec.read(file.metadata()));
            if (tokenizer.vocabSize() != config.vocabSize()) {
                throw new dev.seriatim.text.transformer.UnsupportedModelException("tokenizer has " + tokenizer.vocabSize()
                        + " tokens but the embedding has " + config.vocabSize() + " rows");
            }
            int ctx = context > 0 ? Math.min(context, config.contextLength())
                    : Math.min(config.contextLength(), DEFAULT_CONTEXT);
            parallel = threads == 1 ? Parallel.serial() : new Parallel(threads);
            Transformer transformer = new Transformer(config, weights, parallel, ctx);
            return new TextModel(file, transformer, tokenizer, parallel);
        } catch (RuntimeException e) {
            if (parallel != null) {
                parallel.close();
            }
            file.close();
            throw e;
        }
    }

    public GgufFile file() {
        return file;
    }

    public Transformer transformer() {
        return transformer;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public TransformerConfig config() {
        return transformer.config();
    }

    /**
     * Tokens that end a generation: end-of-sequence, and the end-of-turn / end-of-message tokens
     * chat models declare ({@code tokenizer.ggml.eot_token_id}, {@code eom_token_id}).
     */
    public int[] stopTokens() {
        java.util.LinkedHashSet<Integer> ids = new java.util.LinkedHashSet<>();
        if (tokenizer.eosId() >= 0) {
            ids.add(tokenizer.eosId());
        }
        for (String key : new String[] {"tokenizer.ggml.eot_token_id", "tokenizer.ggml.eom_token_id"}) {
            file.metadata().findLong(key).ifPresent(v -> {
                if (v >= 0 && v < tokenizer.vocabSize()) {
                    ids.add((int) v);
                }
            });
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The prompt's tokens, with BOS in front when the model asks for it. */
    public int[] promptTokens(String prompt) {
        int[] body = tokenizer.encode(prompt);
        if (!tokenizer.spec().addBos() || tokenizer.bosId() < 0) {
            return body;
        }
        int[] ids = new int[body.length + 1];
        ids[0] = tokenizer.bosId();
        System.arraycopy(body, 0, ids, 1, body.length);
        return ids;
    }

    public int threads() {
        return parallel.threads();
    }

    @Override
    public void close() {
        parallel.close();
        file.close();
    }
}
