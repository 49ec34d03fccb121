package dev.seriatim.text;

import dev.seriatim.io.gguf.GgufMetadata;
import dev.seriatim.text.tokenizer.TokenizerSpec;

/** Reads the {@code tokenizer.ggml.*} vocabulary keys of a GGUF file into a {@link TokenizerSpec}. */
public final class GgufTokenizerSpec {

    private GgufTokenizerSpec() {
    }

    public static TokenizerSpec read(GgufMetadata m) {
        String model = m.getString("tokenizer.ggml.model");
        boolean spm = model.equals("llama");
        return new TokenizerSpec(
                model,
                m.findString("tokenizer.ggml.pre").orElse(null),
                m.getStringList("tokenizer.ggml.tokens"),
                // shared with the metadata, which the open model keeps: a copy would hold a
                // 128k-token vocabulary's scores and types twice (1 MiB)
                m.findSharedFloatArray("tokenizer.ggml.scores").orElse(null),
                m.findSharedIntArray("tokenizer.ggml.token_type").orElse(null),
                m.findStringList("tokenizer.ggml.merges").orElse(null),
                id(m, "tokenizer.ggml.bos_token_id"),
                id(m, "tokenizer.ggml.eos_token_id"),
                id(m, "tokenizer.ggml.unknown_token_id"),
                id(m, "tokenizer.ggml.padding_token_id"),
                m.findBool("tokenizer.ggml.add_bos_token").orElse(spm),
                m.findBool("tokenizer.ggml.add_eos_token").orElse(false),
                m.findBool("tokenizer.ggml.add_space_prefix").orElse(spm));
    }

    private static int id(GgufMetadata m, String key) {
        long v = m.findLong(key).orElse(-1);
        return v < 0 || v > Integer.MAX_VALUE ? -1 : (int) v;
    }
}
