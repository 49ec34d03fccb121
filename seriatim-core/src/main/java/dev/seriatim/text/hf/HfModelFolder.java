package dev.seriatim.text.hf;

import dev.seriatim.io.safetensors.SafetensorsCheckpoint;
import dev.seriatim.text.ModelChatTemplates;
import dev.seriatim.text.tokenizer.Tokenizer;
import dev.seriatim.text.transformer.TransformerWeights;
import dev.seriatim.text.transformer.UnsupportedModelException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A Hugging Face model folder opened for inference: {@code config.json}, the safetensors
 * checkpoint, {@code tokenizer.json} and, when present, {@code tokenizer_config.json} (BOS/EOS,
 * chat template) and {@code generation_config.json} (end tokens). Closing it unmaps the shards.
 *
 * @param stopTokens  ids that end a reply: config and generation_config {@code eos_token_id}s and
 *                    tokenizer_config's {@code eos_token}
 * @param chatTemplates tokenizer_config's {@code chat_template}: one string (the default), or a
 *                      list of {@code {name, template}} whose {@code default} entry is the default
 */
public record HfModelFolder(HfConfig config, SafetensorsCheckpoint checkpoint, TransformerWeights weights,
        Tokenizer tokenizer, int[] stopTokens, ModelChatTemplates chatTemplates) implements AutoCloseable {

    /** Reads config.json of the folder {@code dir}. */
    public static HfConfig readConfig(Path dir) throws IOException {
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new UnsupportedModelException(dir + " is a folder without config.json (expected a Hugging Face model folder)");
        }
        return HfConfig.parse(HfJson.read(configFile));
    }

    /** The tokenizer of the folder alone (tokenizer.json, tokenizer_config.json), without the weights. */
    public static Tokenizer readTokenizer(Path dir) throws IOException {
        return readTokenizer(dir, readConfig(dir));
    }

    private static Tokenizer readTokenizer(Path dir, HfConfig config) throws IOException {
        Path tokenizerFile = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizerFile)) {
            throw new UnsupportedModelException(dir + " has no tokenizer.json (tokenizer.model alone is not supported)");
        }
        HfJson.checkSize(tokenizerFile);
        Tokenizer tokenizer;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tokenizerFile), 1 << 16)) {
            tokenizer = HfTokenizerJson.read(in, optional(dir.resolve("tokenizer_config.json")),
                    config.config().vocabSize(), config.bosId());
        }
        if (tokenizer.vocabSize() != config.config().vocabSize()) {
            throw new UnsupportedModelException("tokenizer.json has " + tokenizer.vocabSize()
                    + " tokens but config.json's vocab_size is " + config.config().vocabSize());
        }
        return tokenizer;
    }

    public static HfModelFolder open(Path dir) throws IOException {
        HfConfig config = readConfig(dir);
        Tokenizer tokenizer = readTokenizer(dir, config);
        JsonNode tokConfig = optional(dir.resolve("tokenizer_config.json"));
        JsonNode genConfig = optional(dir.resolve("generation_config.json"));
        Set<Integer> stops = new LinkedHashSet<>();
        for (int id : config.eosIds()) {
            stops.add(id);
        }
        if (genConfig != null) {
            JsonNode eos = genConfig.get("eos_token_id");
            if (eos != null && eos.isIntegralNumber()) {
                stops.add(eos.intValue());
            } else if (eos != null && eos.isArray()) {
                eos.forEach(v -> stops.add(v.asInt(-1)));
            }
        }
        if (tokenizer.eosId() >= 0) {
            stops.add(tokenizer.eosId());
        }
        int[] stopIds = stops.stream().mapToInt(Integer::intValue).filter(i -> i >= 0 && i < tokenizer.vocabSize()).toArray();
        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir);
        try {
            TransformerWeights weights = HfWeightsLoader.load(checkpoint, config);
            return new HfModelFolder(config, checkpoint, weights, tokenizer, stopIds, chatTemplates(tokConfig));
        } catch (Throwable e) {
            // an OutOfMemoryError too: the checkpoint owns the transposed copies made so far
            checkpoint.close();
            throw e;
        }
    }

    private static JsonNode optional(Path file) throws IOException {
        return Files.isRegularFile(file) ? HfJson.read(file) : null;
    }

    /** A string (the default), or a list of {name, template} whose entry named "default" is the default. */
    static ModelChatTemplates chatTemplates(JsonNode tokConfig) {
        JsonNode t = tokConfig == null ? null : tokConfig.get("chat_template");
        if (t == null) {
            return ModelChatTemplates.NONE;
        }
        if (t.isString()) {
            return ModelChatTemplates.of(t.stringValue());
        }
        Optional<String> main = Optional.empty();
        Map<String, String> named = new LinkedHashMap<>();
        if (t.isArray()) {
            for (JsonNode e : t) {
                if (e.has("name") && e.has("template") && e.get("template").isString()) {
                    String name = e.get("name").asString();
                    if (ModelChatTemplates.DEFAULT_NAME.equals(name)) {
                        main = Optional.of(e.get("template").stringValue());
                    } else {
                        named.put(name, e.get("template").stringValue());
                    }
                }
            }
        }
        return new ModelChatTemplates(main, named);
    }

    @Override
    public void close() {
        checkpoint.close();
    }
}
