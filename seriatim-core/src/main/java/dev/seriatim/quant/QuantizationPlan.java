package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import java.util.Locale;

/**
 * Which type each tensor of a model gets when the model is re-quantized, following llama.cpp's
 * conventions:
 * <ul>
 *   <li>tensors of rank 1 (norm scales, biases) stay, or become, F32: they are tiny and precision
 *       there is cheap;
 *   <li>matrices get the target type, except that {@code --keep-output} / {@code --keep-embedding}
 *       keep {@code output.weight} / {@code token_embd.weight} in their source type;
 *   <li>the {@code q4_k_m} mix is Q4_K with Q6_K for the output matrix and for {@code attn_v} and
 *       {@code ffn_down} in the first and last eighth of the layers and every third layer in
 *       between, and Q5_K for a fused {@code attn_qkv} (llama.cpp's Q4_K_M);
 *   <li>a matrix whose rows are not a whole number of the chosen type's blocks falls back as in
 *       llama.cpp: Q4_K to Q5_0, Q5_K to Q5_1, Q6_K to Q8_0 (32-value blocks), and to F16 when
 *       rows are not a multiple of 32 either.
 * </ul>
 *
 * @param type the base type
 * @param mixed the Q4_K_M mix (type is then Q4_K)
 */
public record QuantizationPlan(GgmlType type, boolean mixed, boolean keepOutput, boolean keepEmbedding) {

    /** The target names accepted by {@link #parse}, as listed in messages. */
    public static final String NAMES = "q8_0, q4_0, q4_1, q5_0, q5_1, q4_k, q4_k_m, q5_k, q6_k, f16, bf16 or f32";

    /** The type of one tensor, and why it is not the plan's type when it is not (else null). */
    public record Choice(GgmlType type, String note) {}

    public QuantizationPlan {
        if (!type.computable()) {
            throw new IllegalArgumentException("cannot write tensors of type " + type);
        }
        if (mixed && type != GgmlType.Q4_K) {
            throw new IllegalArgumentException("the mixed plan is Q4_K based, got " + type);
        }
    }

    /**
     * The plan for a target name ({@link #NAMES}, any case).
     *
     * @throws IllegalArgumentException for another name
     */
    public static QuantizationPlan parse(String name, boolean keepOutput, boolean keepEmbedding) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("q4_k_m")) {
            return new QuantizationPlan(GgmlType.Q4_K, true, keepOutput, keepEmbedding);
        }
        GgmlType type = switch (n) {
            case "q8_0" -> GgmlType.Q8_0;
            case "q4_0" -> GgmlType.Q4_0;
            case "q4_1" -> GgmlType.Q4_1;
            case "q5_0" -> GgmlType.Q5_0;
            case "q5_1" -> GgmlType.Q5_1;
            case "q4_k" -> GgmlType.Q4_K;
            case "q5_k" -> GgmlType.Q5_K;
            case "q6_k" -> GgmlType.Q6_K;
            case "f16" -> GgmlType.F16;
            case "bf16" -> GgmlType.BF16;
            case "f32" -> GgmlType.F32;
            default -> throw new IllegalArgumentException("unknown type '" + name + "' (expected " + NAMES + ")");
        };
        return new QuantizationPlan(type, false, keepOutput, keepEmbedding);
    }

    /**
     * llama.cpp's {@code general.file_type} (its {@code llama_ftype}) for files written with this
     * plan: what tools show as the file's quantization.
     */
    public int fileType() {
        if (mixed) {
            return 15; // MOSTLY_Q4_K_M
        }
        return switch (type) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q4_1 -> 3;
            case Q5_0 -> 8;
            case Q5_1 -> 9;
            case Q8_0 -> 7;
            case Q4_K -> 14; // MOSTLY_Q4_K_S: all Q4_K
            case Q5_K -> 16; // MOSTLY_Q5_K_S
            case Q6_K -> 18;
            case BF16 -> 32;
            default -> throw new IllegalStateException(type.toString());
        };
    }

    /**
     * The type for tensor {@code name} of shape {@code shape} (innermost first) stored as
     * {@code source}, in a model of {@code layers} blocks.
     */
    public Choice choose(String name, GgmlType source, long[] shape, int layers) {
        if (shape.length < 2) {
            return new Choice(GgmlType.F32, null);
        }
        if ((keepOutput && name.equals("output.weight")) || (keepEmbedding && name.equals("token_embd.weight"))) {
            return new Choice(source, "kept");
        }
        GgmlType wanted = mixed ? mixType(name, layers) : type;
        long cols = shape[0];
        if (cols % wanted.blockSize() == 0) {
            return new Choice(wanted, null);
        }
        GgmlType fallback = switch (wanted) {
            case Q4_K -> GgmlType.Q5_0;
            case Q5_K -> GgmlType.Q5_1;
            default -> GgmlType.Q8_0;
        };
        if (cols % fallback.blockSize() != 0) {
            fallback = GgmlType.F16;
        }
        return new Choice(fallback, "rows of " + cols + " are not a multiple of " + wanted + "'s block of "
                + wanted.blockSize());
    }

    private static GgmlType mixType(String name, int layers) {
        if (name.equals("output.weight")) {
            return GgmlType.Q6_K;
        }
        if (name.endsWith(".attn_qkv.weight")) {
            return GgmlType.Q5_K;
        }
        if (name.endsWith(".attn_v.weight") || name.endsWith(".ffn_down.weight")) {
            int layer = layerOf(name);
            return layer >= 0 && moreBits(layer, layers) ? GgmlType.Q6_K : GgmlType.Q4_K;
        }
        return GgmlType.Q4_K;
    }

    /** llama.cpp's choice of layers that matter most: the first and last eighth, every third between. */
    static boolean moreBits(int layer, int layers) {
        return layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
    }

    /** N in "blk.N.…", or -1. */
    static int layerOf(String name) {
        if (!name.startsWith("blk.")) {
            return -1;
        }
        int end = name.indexOf('.', 4);
        try {
            return end < 0 ? -1 : Integer.parseInt(name.substring(4, end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
