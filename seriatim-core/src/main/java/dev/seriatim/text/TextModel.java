package dev.seriatim.text;

import dev.seriatim.io.gguf.GgufFile;
import dev.seriatim.tensor.Parallel;
import dev.seriatim.text.hf.HfModelFolder;
import dev.seriatim.text.tokenizer.Tokenizer;
import dev.seriatim.text.tokenizer.Tokenizers;
import dev.seriatim.text.transformer.KvCacheType;
import dev.seriatim.text.transformer.Transformer;
import dev.seriatim.text.transformer.TransformerConfig;
import dev.seriatim.text.transformer.TransformerLoader;
import dev.seriatim.text.transformer.TransformerWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A language model ready to use: the mapped GGUF file or Hugging Face folder, its transformer,
 * its tokenizer, its end tokens and chat template, and the worker threads. Closing it unmaps
 * the files and stops the threads.
 */
public final class TextModel implements AutoCloseable {

    /** Context used when the caller does not choose one and the model allows more. */
    public static final int DEFAULT_CONTEXT = 4096;

    private final GgufFile file;
    private final AutoCloseable source;
    private final Transformer transformer;
    private final Tokenizer tokenizer;
    private final Parallel parallel;
    private final int[] stopTokens;
    private final ModelChatTemplates chatTemplates;

    private TextModel(GgufFile file, AutoCloseable source, Transformer transformer, Tokenizer tokenizer, Parallel parallel,
            int[] stopTokens, ModelChatTemplates chatTemplates) {
        this.file = file;
        this.source = source;
        this.transformer = transformer;
        this.tokenizer = tokenizer;
        this.parallel = parallel;
        this.stopTokens = stopTokens;
        this.chatTemplates = chatTemplates;
    }

    /**
     * Opens a GGUF model file, or a Hugging Face model folder ({@code config.json},
     * {@code *.safetensors}, {@code tokenizer.json}) when {@code path} is a directory.
     *
     * @param threads worker threads for the matrix products (at least 1)
     * @param context positions to allocate the KV cache for; 0 means min(model context, {@value #DEFAULT_CONTEXT})
     */
    public static TextModel open(Path path, int threads, int context) throws IOException {
        return open(path, threads, context, KvCacheType.F16);
    }

    /** {@link #open(Path, int, int)} with the KV cache kept as {@code kvCache} says. */
    public static TextModel open(Path path, int threads, int context, KvCacheType kvCache) throws IOException {
        if (Files.isDirectory(path)) {
            return openFolder(path, threads, context, kvCache);
        }
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
            Transformer transformer = new Transformer(config, weights, parallel, ctx, kvCache);
            return new TextModel(file, file, transformer, tokenizer, parallel, ggufStopTokens(file, tokenizer),
                    GgufChatTemplates.read(file.metadata()));
        } catch (RuntimeException e) {
            if (parallel != null) {
                parallel.close();
            }
            file.close();
            throw e;
        }
    }

    private static TextModel openFolder(Path dir, int threads, int context, KvCacheType kvCache) throws IOException {
        HfModelFolder folder = HfModelFolder.open(dir);
        Parallel parallel = null;
        try {
            TransformerConfig config = folder.config().config();
            int ctx = context > 0 ? Math.min(context, config.contextLength())
                    : Math.min(config.contextLength(), DEFAULT_CONTEXT);
            parallel = threads == 1 ? Parallel.serial() : new Parallel(threads);
            Transformer transformer = new Transformer(config, folder.weights(), parallel, ctx, kvCache);
            return new TextModel(null, folder, transformer, folder.tokenizer(), parallel, folder.stopTokens(),
                    folder.chatTemplates());
        } catch (RuntimeException e) {
            if (parallel != null) {
                parallel.close();
            }
            folder.close();
            throw e;
        }
    }

    /** The GGUF file, or null when the model came from a Hugging Face folder. */
    public GgufFile file() {
        return file;
    }

    /** The model's default chat template (Jinja source), if it declares one. */
    public Optional<String> chatTemplate() {
        return chatTemplates.defaultTemplate();
    }

    /** The default chat template and the named variants the model declares. */
    public ModelChatTemplates chatTemplates() {
        return chatTemplates;
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
     * chat models declare (GGUF {@code tokenizer.ggml.eot_token_id}, {@code eom_token_id}; HF
     * {@code eos_token_id} lists of config.json and generation_config.json).
     */
    public int[] stopTokens() {
        return stopTokens.clone();
    }

    private static int[] ggufStopTokens(GgufFile file, Tokenizer tokenizer) {
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

    /** The worker pool the model computes with (for measurements that should use the same threads). */
    public Parallel parallel() {
        return parallel;
    }

    @Override
    public void close() {
        parallel.close();
        try {
            source.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing " + source, e);
        }
    }
}
