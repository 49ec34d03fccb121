package dev.seriatim.text.transformer;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The transformer families Seriatim runs, named as GGUF's {@code general.architecture} names
 * them, with the few choices in which they differ.
 */
public enum Architecture {
    /**
     * Llama 2/3, Mistral, TinyLlama, SmolLM: RMSNorm, SwiGLU, no biases; RoPE on adjacent pairs as
     * llama GGUF files store q and k (a Hugging Face checkpoint keeps split halves: {@link TransformerConfig#rope}).
     */
    LLAMA("llama", Norm.RMS, Rope.INTERLEAVED, Ffn.SWIGLU, false),
    /** Qwen2 / Qwen2.5: as llama plus q/k/v biases, RoPE on split halves. */
    QWEN2("qwen2", Norm.RMS, Rope.SPLIT_HALF, Ffn.SWIGLU, true),
    /** GPT-2: LayerNorm, learned positions, GELU MLP, biases everywhere, fused qkv. */
    GPT2("gpt2", Norm.LAYER, Rope.NONE, Ffn.GELU, true);

    /** How activations are normalised before attention and the feed-forward block. */
    public enum Norm { RMS, LAYER }

    /** How positions enter: rotary on (2i, 2i+1) pairs, rotary on (i, i + d/2), or none. */
    public enum Rope { INTERLEAVED, SPLIT_HALF, NONE }

    /** Feed-forward block: silu(gate) * up then down, or gelu(up) then down. */
    public enum Ffn { SWIGLU, GELU }

    private final String ggufName;
    private final Norm norm;
    private final Rope rope;
    private final Ffn ffn;
    private final boolean qkvBias;

    Architecture(String ggufName, Norm norm, Rope rope, Ffn ffn, boolean qkvBias) {
        this.ggufName = ggufName;
        this.norm = norm;
        this.rope = rope;
        this.ffn = ffn;
        this.qkvBias = qkvBias;
    }

    public String ggufName() {
        return ggufName;
    }

    public Norm norm() {
        return norm;
    }

    public Rope rope() {
        return rope;
    }

    public Ffn ffn() {
        return ffn;
    }

    /** Whether the q, k and v projections carry biases. */
    public boolean qkvBias() {
        return qkvBias;
    }

    /** The architecture GGUF calls {@code name}; an {@link UnsupportedModelException} otherwise. */
    public static Architecture fromGguf(String name) {
        for (Architecture a : values()) {
            if (a.ggufName.equals(name)) {
                return a;
            }
        }
        throw new UnsupportedModelException("architecture '" + name + "' is not supported (supported: "
                + Arrays.stream(values()).map(Architecture::ggufName).collect(Collectors.joining(", ")) + ")");
    }
}
