package dev.seriatim.text.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seriatim.text.transformer.Architecture;
import dev.seriatim.text.transformer.TransformerConfig;
import dev.seriatim.text.transformer.UnsupportedModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/** config.json of the supported families, with the values their published configs carry. */
class HfConfigTest {

    private static HfConfig parse(String json) {
        return HfConfig.parse(JsonMapper.builder().build().readTree(json));
    }

    @Test
    void llama31WithLlama3RopeScaling() {
        HfConfig h = parse("""
                {"architectures": ["LlamaForCausalLM"], "hidden_size": 4096, "intermediate_size": 14336,
                 "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8,
                 "max_position_embeddings": 131072, "rms_norm_eps": 1e-05, "rope_theta": 500000.0,
                 "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                  "original_max_position_embeddings": 8192, "rope_type": "llama3"},
                 "tie_word_embeddings": false, "vocab_size": 128256, "bos_token_id": 128000,
                 "eos_token_id": [128001, 128008, 128009]}""");
        TransformerConfig c = h.config();
        assertThat(c.architecture()).isEqualTo(Architecture.LLAMA);
        assertThat(c.headDim()).isEqualTo(128);
        assertThat(c.kvHeads()).isEqualTo(8);
        assertThat(c.tiedOutput()).isFalse();
        assertThat(h.eosIds()).containsExactly(128001, 128008, 128009);
        float[] f = h.ropeFreqFactors();
        assertThat(f).hasSize(64);
        assertThat(f[0]).isEqualTo(1f); // short wavelengths keep their frequency
        assertThat(f[63]).isEqualTo(8f); // long ones are divided by the factor
        for (int i = 1; i < f.length; i++) {
            assertThat(f[i]).isGreaterThanOrEqualTo(f[i - 1]);
        }
    }

    @Test
    void qwen2AndGpt2() {
        TransformerConfig q = parse("""
                {"architectures": ["Qwen2ForCausalLM"], "hidden_size": 896, "intermediate_size": 4864,
                 "num_attention_heads": 14, "num_hidden_layers": 24, "num_key_value_heads": 2,
                 "max_position_embeddings": 32768, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0,
                 "rope_scaling": null, "tie_word_embeddings": true, "vocab_size": 151936}""").config();
        assertThat(q.architecture()).isEqualTo(Architecture.QWEN2);
        assertThat(q.headDim()).isEqualTo(64);
        assertThat(q.tiedOutput()).isTrue();
        TransformerConfig g = parse("""
                {"architectures": ["GPT2LMHeadModel"], "n_embd": 768, "n_head": 12, "n_layer": 12,
                 "n_positions": 1024, "n_inner": null, "vocab_size": 50257, "layer_norm_epsilon": 1e-05}""").config();
        assertThat(g.ffnDim()).isEqualTo(3072);
        assertThat(g.ropeDim()).isZero();
        assertThat(g.tiedOutput()).isTrue();
    }

    @Test
    void mistralSlidingWindowCapsTheContext() {
        TransformerConfig m = parse("""
                {"architectures": ["MistralForCausalLM"], "hidden_size": 4096, "intermediate_size": 14336,
                 "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8,
                 "max_position_embeddings": 32768, "rms_norm_eps": 1e-05, "rope_theta": 10000.0,
                 "sliding_window": 4096, "tie_word_embeddings": false, "vocab_size": 32000}""").config();
        assertThat(m.contextLength()).isEqualTo(4096);
        TransformerConfig q = parse("""
                {"architectures": ["Qwen2ForCausalLM"], "hidden_size": 64, "intermediate_size": 128,
                 "num_attention_heads": 4, "num_hidden_layers": 1, "max_position_embeddings": 32768,
                 "sliding_window": 4096, "use_sliding_window": false, "vocab_size": 300}""").config();
        assertThat(q.contextLength()).isEqualTo(32768);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        "{\"architectures\": [\"MixtralForCausalLM\"]} => architecture 'MixtralForCausalLM' is not supported",
        "{\"architectures\": [\"LlamaForCausalLM\"], \"hidden_size\": -1} => hidden_size is missing or not a positive integer",
        "{\"architectures\": [\"LlamaForCausalLM\"], \"hidden_size\": 64, \"num_attention_heads\": 4, \"max_position_embeddings\": 8, \"rope_scaling\": {\"type\": \"yarn\"}} => rope_scaling type 'yarn'",
        "{\"architectures\": [\"GPT2LMHeadModel\"], \"n_embd\": 1e400} => n_embd",
    })
    void refusesClearly(String json, String message) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(UnsupportedModelException.class).hasMessageContaining(message);
    }
}
