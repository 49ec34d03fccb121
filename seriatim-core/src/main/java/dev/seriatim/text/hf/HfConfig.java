package dev.seriatim.text.hf;

import dev.seriatim.text.transformer.Architecture;
import dev.seriatim.text.transformer.TransformerConfig;
import dev.seriatim.text.transformer.UnsupportedModelException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A Hugging Face {@code config.json} of a supported causal language model, mapped onto
 * {@link TransformerConfig}.
 *
 * @param config          the hyperparameters
 * @param hfArchitecture  the class name in {@code architectures}, e.g. {@code LlamaForCausalLM}
 * @param ropeFreqFactors divisors of the rotary frequencies for {@code rope_scaling} of type
 *                        {@code llama3} (as GGUF's {@code rope_freqs.weight}), else null
 * @param eosIds          {@code eos_token_id} (a number or a list), possibly empty
 * @param bosId           {@code bos_token_id}, -1 when absent
 */
public record HfConfig(TransformerConfig config, String hfArchitecture, float[] ropeFreqFactors, int[] eosIds, int bosId) {

    /** The {@code architectures} class names Seriatim loads. */
    public static final List<String> SUPPORTED = List.of("LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM",
            "GPT2LMHeadModel");

    public static HfConfig parse(JsonNode json) {
        JsonNode archs = json.get("architectures");
        String name = archs != null && archs.isArray() && !archs.isEmpty() && archs.get(0).isString()
                ? archs.get(0).stringValue() : textOr(json, "model_type", "?");
        return switch (name) {
            case "LlamaForCausalLM", "MistralForCausalLM" -> llamaLike(json, name, Architecture.LLAMA);
            case "Qwen2ForCausalLM" -> llamaLike(json, name, Architecture.QWEN2);
            case "GPT2LMHeadModel" -> gpt2(json, name);
            default -> throw new UnsupportedModelException("config.json: architecture '" + name
                    + "' is not supported (supported: " + String.join(", ", SUPPORTED) + ")");
        };
    }

    private static HfConfig llamaLike(JsonNode j, String name, Architecture a) {
        int dim = positive(j, "hidden_size");
        int heads = positive(j, "num_attention_heads");
        int kvHeads = optionalInt(j, "num_key_value_heads", heads);
        int headDim = optionalInt(j, "head_dim", heads > 0 ? dim / heads : 0);
        float theta = optionalFloat(j, "rope_theta", 10000f);
        int context = positive(j, "max_position_embeddings");
        // sliding-window attention (Mistral 7B v0.1) equals full attention up to the window, so the
        // context is capped there rather than attending beyond the window the model was trained with
        JsonNode window = j.get("sliding_window");
        boolean windowOn = !j.has("use_sliding_window") || j.get("use_sliding_window").asBoolean();
        if (windowOn && window != null && window.isIntegralNumber() && window.intValue() > 0) {
            context = Math.min(context, window.intValue());
        }
        float ropeScale = 1f;
        float[] factors = null;
        JsonNode scaling = j.get("rope_scaling");
        if (scaling != null && !scaling.isNull()) {
            String type = textOr(scaling, "rope_type", textOr(scaling, "type", "default"));
            switch (type) {
                case "default" -> { }
                case "linear" -> ropeScale = optionalFloat(scaling, "factor", 1f);
                case "llama3" -> factors = llama3Factors(scaling, headDim, theta);
                default -> throw new UnsupportedModelException("config.json: rope_scaling type '" + type
                        + "' is not supported (supported: linear, llama3)");
            }
        }
        TransformerConfig c = new TransformerConfig(a, dim, positive(j, "num_hidden_layers"), heads, kvHeads, headDim,
                positive(j, "intermediate_size"), positive(j, "vocab_size"), context,
                optionalFloat(j, "rms_norm_eps", 1e-6f), theta, headDim, ropeScale,
                j.has("tie_word_embeddings") && j.get("tie_word_embeddings").asBoolean(),
                // transformers rotates the two halves of each head (its rotate_half) for every
                // family read here; Llama's GGUF convention differs only by a permutation of the
                // q and k rows, so running the checkpoint's own convention needs no copy of them
                Architecture.Rope.SPLIT_HALF);
        return new HfConfig(c, name, factors, ids(j.get("eos_token_id")), optionalInt(j, "bos_token_id", -1));
    }

    private static HfConfig gpt2(JsonNode j, String name) {
        int dim = positive(j, "n_embd");
        int heads = positive(j, "n_head");
        JsonNode inner = j.get("n_inner");
        int ffn = inner == null || inner.isNull() ? 4 * dim : positive(j, "n_inner");
        TransformerConfig c = new TransformerConfig(Architecture.GPT2, dim, positive(j, "n_layer"), heads, heads,
                dim / heads, ffn, positive(j, "vocab_size"), positive(j, "n_positions"),
                optionalFloat(j, "layer_norm_epsilon", 1e-5f), 10000f, 0, 1f, true);
        return new HfConfig(c, name, null, ids(j.get("eos_token_id")), optionalInt(j, "bos_token_id", -1));
    }

    /**
     * Llama 3.1's frequency-dependent scaling: wavelengths shorter than the original context /
     * high_freq_factor keep their frequency, longer than context / low_freq_factor are divided by
     * factor, and the band between is interpolated smoothly.
     */
    static float[] llama3Factors(JsonNode s, int headDim, float theta) {
        double factor = optionalFloat(s, "factor", 8f);
        double low = optionalFloat(s, "low_freq_factor", 1f);
        double high = optionalFloat(s, "high_freq_factor", 4f);
        double original = optionalInt(s, "original_max_position_embeddings", 8192);
        double lowWavelen = original / low;
        double highWavelen = original / high;
        float[] out = new float[headDim / 2];
        for (int i = 0; i < out.length; i++) {
            double freq = 1.0 / Math.pow(theta, 2.0 * i / headDim);
            double wavelen = 2 * Math.PI / freq;
            if (wavelen < highWavelen) {
                out[i] = 1f;
            } else if (wavelen > lowWavelen) {
                out[i] = (float) factor;
            } else {
                double smooth = (original / wavelen - low) / (high - low);
                out[i] = (float) (1 / ((1 - smooth) / factor + smooth));
            }
        }
        return out;
    }

    private static int[] ids(JsonNode n) {
        List<Integer> out = new ArrayList<>();
        if (n != null && n.isIntegralNumber() && n.canConvertToInt()) {
            out.add(n.intValue());
        } else if (n != null && n.isArray()) {
            for (JsonNode v : n) {
                if (v.isIntegralNumber() && v.canConvertToInt()) {
                    out.add(v.intValue());
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).filter(i -> i >= 0).toArray();
    }

    private static int positive(JsonNode j, String key) {
        JsonNode v = j.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() <= 0) {
            throw new UnsupportedModelException("config.json: " + key + " is missing or not a positive integer");
        }
        return v.intValue();
    }

    private static int optionalInt(JsonNode j, String key, int otherwise) {
        JsonNode v = j.get(key);
        if (v == null || v.isNull()) {
            return otherwise;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new UnsupportedModelException("config.json: " + key + " is not an integer");
        }
        return v.intValue();
    }

    private static float optionalFloat(JsonNode j, String key, float otherwise) {
        JsonNode v = j.get(key);
        if (v == null || v.isNull()) {
            return otherwise;
        }
        if (!v.isNumber()) {
            throw new UnsupportedModelException("config.json: " + key + " is not a number");
        }
        return (float) v.doubleValue();
    }

    private static String textOr(JsonNode j, String key, String otherwise) {
        JsonNode v = j.get(key);
        return v != null && v.isString() ? v.stringValue() : otherwise;
    }
}
