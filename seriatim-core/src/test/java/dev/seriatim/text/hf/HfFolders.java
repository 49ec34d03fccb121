package dev.seriatim.text.hf;

import dev.seriatim.io.gguf.GgufFile;
import dev.seriatim.io.gguf.GgufTensorInfo;
import dev.seriatim.io.safetensors.SafetensorsDtype;
import dev.seriatim.io.safetensors.SafetensorsWriter;
import dev.seriatim.quant.BlockFormats;
import dev.seriatim.tensor.GgmlType;
import dev.seriatim.text.transformer.Architecture;
import dev.seriatim.text.transformer.TransformerConfig;
import dev.seriatim.text.transformer.TransformerLoader;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Test fixture: writes the model of a GGUF file as a Hugging Face folder (config.json and
 * safetensors), doing the inverse of what llama.cpp's converter does: q/k rows of llama models
 * back to HF's halves layout, GPT-2 projections back to Conv1D [in, out].
 */
public final class HfFolders {

    private HfFolders() {
    }

    /** Writes {@code dir}; with {@code shards > 1} the tensors are spread over files with an index. */
    public static void fromGguf(Path gguf, Path dir, int shards) throws IOException {
        Files.createDirectories(dir);
        try (GgufFile f = GgufFile.open(gguf)) {
            TransformerConfig c = TransformerLoader.config(f);
            Map<String, byte[]> data = new LinkedHashMap<>();
            Map<String, long[]> shapes = new LinkedHashMap<>();
            Map<String, SafetensorsDtype> types = new LinkedHashMap<>();
            for (GgufTensorInfo t : f.tensors()) {
                String name = hfName(c.architecture(), t.name());
                byte[] bytes = f.data(t).toArray(ValueLayout.JAVA_BYTE);
                long[] s = t.shape();
                long[] shape = s.length == 1 ? new long[] {s[0]} : new long[] {s[1], s[0]};
                SafetensorsDtype dtype = SafetensorsDtype.valueOf(t.type().name());
                if (c.architecture() == Architecture.LLAMA && (t.name().endsWith("attn_q.weight") || t.name().endsWith("attn_k.weight"))) {
                    int heads = t.name().endsWith("attn_q.weight") ? c.heads() : c.kvHeads();
                    bytes = toHalvesRope(bytes, t.type().bytesFor(s[0]), heads, c.headDim());
                }
                if (c.architecture() == Architecture.GPT2 && s.length == 2 && !t.name().contains("embd")) {
                    bytes = transposeToF32(bytes, t.type(), (int) s[1], (int) s[0]);
                    shape = new long[] {s[0], s[1]};
                    dtype = SafetensorsDtype.F32;
                }
                data.put(name, bytes);
                shapes.put(name, shape);
                types.put(name, dtype);
            }
            writeTensors(dir, data, shapes, types, shards);
            Files.writeString(dir.resolve("config.json"), configJson(c));
            Files.writeString(dir.resolve("tokenizer.json"), spmTokenizerJson(f.metadata().getStringArray("tokenizer.ggml.tokens"),
                    f.metadata().getIntArray("tokenizer.ggml.token_type")));
            Files.writeString(dir.resolve("tokenizer_config.json"), """
                    {"bos_token": "<s>", "eos_token": "</s>", "add_bos_token": true,
                     "chat_template": "{{ bos_token }}{% for m in messages %}<|{{ m.role }}|>{{ m.content | trim }}</s>{% endfor %}{% if add_generation_prompt %}<|assistant|>{% endif %}"}
                    """);
        }
    }

    /**
     * A SentencePiece-style tokenizer.json for the random models' vocabulary (unk, BOS, EOS,
     * byte tokens, letter pieces): byte fallback, U+2581 for spaces, and one merge per piece
     * (its prefix and its last character), in vocabulary order.
     */
    static String spmTokenizerJson(String[] tokens, int[] types) {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode root = json.createObjectNode();
        var added = root.putArray("added_tokens");
        for (int i = 0; i < tokens.length; i++) {
            if (types[i] == 2 || types[i] == 3) {
                added.addObject().put("id", i).put("content", tokens[i]).put("special", true);
            }
        }
        var norm = root.putObject("normalizer").put("type", "Sequence").putArray("normalizers");
        norm.addObject().put("type", "Prepend").put("prepend", "\u2581");
        norm.addObject().put("type", "Replace").put("content", "\u2581").putObject("pattern").put("String", " ");
        root.putNull("pre_tokenizer");
        ObjectNode model = root.putObject("model").put("type", "BPE").put("byte_fallback", true).put("unk_token", "<unk>");
        ObjectNode vocab = model.putObject("vocab");
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < tokens.length; i++) {
            vocab.put(tokens[i], i);
            seen.add(tokens[i]);
        }
        var merges = model.putArray("merges");
        for (String t : tokens) {
            int n = t.codePointCount(0, t.length());
            if (n >= 2 && !t.startsWith("<")) {
                int cut = t.offsetByCodePoints(0, n - 1);
                if (seen.contains(t.substring(0, cut)) && seen.contains(t.substring(cut))) {
                    merges.addArray().add(t.substring(0, cut)).add(t.substring(cut));
                }
            }
        }
        return json.writeValueAsString(root);
    }

    private static void writeTensors(Path dir, Map<String, byte[]> data, Map<String, long[]> shapes,
            Map<String, SafetensorsDtype> types, int shards) throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        if (shards <= 1) {
            SafetensorsWriter w = new SafetensorsWriter().putMetadata("format", "pt");
            data.forEach((n, b) -> w.add(n, types.get(n), shapes.get(n), b));
            w.write(dir.resolve("model.safetensors"));
            return;
        }
        SafetensorsWriter[] writers = new SafetensorsWriter[shards];
        ObjectNode index = json.createObjectNode();
        ObjectNode map = index.putObject("weight_map");
        int i = 0;
        for (String n : data.keySet()) {
            int s = i++ % shards;
            if (writers[s] == null) {
                writers[s] = new SafetensorsWriter();
            }
            writers[s].add(n, types.get(n), shapes.get(n), data.get(n));
            map.put(n, shardName(s, shards));
        }
        for (int s = 0; s < shards; s++) {
            writers[s].write(dir.resolve(shardName(s, shards)));
        }
        Files.writeString(dir.resolve("model.safetensors.index.json"), json.writeValueAsString(index));
    }

    static String shardName(int s, int n) {
        return String.format("model-%05d-of-%05d.safetensors", s + 1, n);
    }

    static String hfName(Architecture a, String gguf) {
        if (a == Architecture.GPT2) {
            return gguf.replace("token_embd", "wte").replace("position_embd", "wpe").replace("output_norm", "ln_f")
                    .replace("blk.", "h.").replace("attn_norm", "ln_1").replace("attn_qkv", "attn.c_attn")
                    .replace("attn_output", "attn.c_proj").replace("ffn_norm", "ln_2").replace("ffn_up", "mlp.c_fc")
                    .replace("ffn_down", "mlp.c_proj");
        }
        return gguf.replace("attn_output", "self_attn.o_proj").replace("token_embd", "model.embed_tokens").replace("output_norm", "model.norm")
                .replace("output.weight", "lm_head.weight").replace("blk.", "model.layers.")
                .replace("attn_norm", "input_layernorm").replace("attn_q.", "self_attn.q_proj.")
                .replace("attn_k.", "self_attn.k_proj.").replace("attn_v.", "self_attn.v_proj.")
                .replace("ffn_norm", "post_attention_layernorm")
                .replace("ffn_gate", "mlp.gate_proj").replace("ffn_up", "mlp.up_proj").replace("ffn_down", "mlp.down_proj");
    }

    /** The inverse of llama.cpp's permute: GGUF row 2i + j of a head goes to HF row j * d/2 + i. */
    private static byte[] toHalvesRope(byte[] src, long rowBytes, int heads, int headDim) {
        byte[] dst = new byte[src.length];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < headDim / 2; i++) {
                for (int j = 0; j < 2; j++) {
                    long gguf = (long) h * headDim + 2L * i + j;
                    long hf = (long) h * headDim + (long) j * (headDim / 2) + i;
                    System.arraycopy(src, (int) (gguf * rowBytes), dst, (int) (hf * rowBytes), (int) rowBytes);
                }
            }
        }
        return dst;
    }

    private static byte[] transposeToF32(byte[] src, GgmlType type, int rows, int cols) {
        float[] all = new float[rows * cols];
        BlockFormats.of(type).dequantize(MemorySegment.ofArray(src), 0, all, 0, all.length);
        ByteBuffer out = ByteBuffer.allocate(all.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < cols; i++) {
            for (int o = 0; o < rows; o++) {
                out.putFloat(all[o * cols + i]);
            }
        }
        return out.array();
    }

    static String configJson(TransformerConfig c) {
        ObjectNode j = JsonMapper.builder().build().createObjectNode();
        switch (c.architecture()) {
            case GPT2 -> {
                j.putArray("architectures").add("GPT2LMHeadModel");
                j.put("n_embd", c.dim()).put("n_layer", c.layers()).put("n_head", c.heads()).put("n_inner", c.ffnDim())
                        .put("vocab_size", c.vocabSize()).put("n_positions", c.contextLength())
                        .put("layer_norm_epsilon", c.normEps());
            }
            case LLAMA, QWEN2 -> {
                j.putArray("architectures").add(c.architecture() == Architecture.LLAMA ? "LlamaForCausalLM" : "Qwen2ForCausalLM");
                j.put("hidden_size", c.dim()).put("num_hidden_layers", c.layers()).put("num_attention_heads", c.heads())
                        .put("num_key_value_heads", c.kvHeads()).put("intermediate_size", c.ffnDim())
                        .put("vocab_size", c.vocabSize()).put("max_position_embeddings", c.contextLength())
                        .put("rms_norm_eps", c.normEps()).put("rope_theta", c.ropeTheta())
                        .put("tie_word_embeddings", c.tiedOutput());
            }
        }
        j.put("bos_token_id", 1).put("eos_token_id", 2);
        return j.toPrettyString();
    }
}
