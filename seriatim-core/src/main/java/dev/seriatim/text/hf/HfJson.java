package dev.seriatim.text.hf;

import dev.seriatim.text.transformer.UnsupportedModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the JSON files of a model folder, naming the file in every error. */
final class HfJson {

    /** Largest JSON file read: tokenizer.json of a 256k vocabulary is about 20 MB. */
    static final long MAX_BYTES = 256L << 20;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private HfJson() {
    }

    static JsonNode read(Path file) throws IOException {
        checkSize(file);
        try {
            JsonNode root = JSON.readTree(Files.readAllBytes(file));
            if (root == null || !root.isObject()) {
                throw new UnsupportedModelException(file.getFileName() + " is not a JSON object");
            }
            return root;
        } catch (JacksonException e) {
            throw new UnsupportedModelException(file.getFileName() + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** Refuses a file larger than {@link #MAX_BYTES}, naming it. */
    static void checkSize(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new UnsupportedModelException(file.getFileName() + " is " + size + " bytes, more than the "
                    + MAX_BYTES + "-byte limit");
        }
    }

    static JsonNode parse(String what, String json) {
        try {
            return JSON.readTree(json);
        } catch (JacksonException e) {
            throw new UnsupportedModelException(what + " is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
