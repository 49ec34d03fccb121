package dev.seriatim.train;

import dev.seriatim.io.gguf.GgufMetadata;
import dev.seriatim.io.gguf.GgufValue;
import dev.seriatim.io.gguf.GgufWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code tokenizer.*} metadata a trained model is exported with: the byte vocabulary, or
 * the vocabulary of an existing GGUF model copied key for key, so the exported file tokenizes
 * exactly as the data was tokenized for training.
 *
 * @param byteLevel whether this is {@link ByteVocabulary} (data ids are then the raw bytes)
 */
public record TokenizerKeys(Map<String, GgufValue> entries, int size, boolean byteLevel) {

    public TokenizerKeys {
        entries = Map.copyOf(new LinkedHashMap<>(entries));
    }

    public static TokenizerKeys bytes() {
        return new TokenizerKeys(ByteVocabulary.keys(), ByteVocabulary.SIZE, true);
    }

    /** Every {@code tokenizer.*} key of a model's metadata. */
    public static TokenizerKeys copiedFrom(GgufMetadata m, boolean byteLevel) {
        Map<String, GgufValue> keys = new LinkedHashMap<>();
        for (String k : m.keys()) {
            if (k.startsWith("tokenizer.")) {
                keys.put(k, m.get(k).orElseThrow());
            }
        }
        if (!keys.containsKey("tokenizer.ggml.tokens")) {
            throw new IllegalArgumentException("the model has no tokenizer.ggml.tokens vocabulary");
        }
        return new TokenizerKeys(keys, m.getStringList("tokenizer.ggml.tokens").size(), byteLevel);
    }

    public void writeTo(GgufWriter w) {
        // sorted, so that a file's bytes do not depend on a map's iteration order
        entries.keySet().stream().sorted().forEach(k -> w.put(k, entries.get(k)));
    }
}
