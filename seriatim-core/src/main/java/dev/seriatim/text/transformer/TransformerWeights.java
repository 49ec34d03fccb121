package dev.seriatim.text.transformer;

import dev.seriatim.tensor.WeightMatrix;
import java.util.List;

/**
 * All weights of a decoder-only transformer.
 *
 * @param tokenEmbedding    [vocab, dim] one row per token
 * @param positionEmbedding [contextLength, dim] learned positions (gpt2), else null
 * @param layers            the blocks, in order
 * @param outputNorm        [dim] final norm scale
 * @param outputNormBias    [dim] final LayerNorm shift (gpt2), else null
 * @param output            [vocab, dim] output projection (the token embedding when tied)
 * @param ropeFreqFactors   [ropeDim / 2] divisors of the rotary frequencies (Llama 3 long context), else null
 */
public record TransformerWeights(
        WeightMatrix tokenEmbedding,
        WeightMatrix positionEmbedding,
        List<LayerWeights> layers,
        float[] outputNorm,
        float[] outputNormBias,
        WeightMatrix output,
        float[] ropeFreqFactors) {
}
