package dev.seriatim.text.transformer;

import dev.seriatim.tensor.WeightMatrix;

/**
 * The weights of one transformer block. Matrices stay in their file format (views over the
 * mapped file); the small vectors (norms, biases) are expanded to floats at load. Shapes are
 * written rows x columns; a null field is one the architecture does not have.
 *
 * @param attnNorm     [dim] scale of the pre-attention norm
 * @param attnNormBias [dim] LayerNorm shift (gpt2)
 * @param wqkv         [qDim + 2 kvDim, dim] fused q, k, v projection (gpt2), else null
 * @param bqkv         [qDim + 2 kvDim] its bias
 * @param wq           [qDim, dim] query projection when not fused
 * @param wk           [kvDim, dim]
 * @param wv           [kvDim, dim]
 * @param bq           [qDim] query bias (qwen2)
 * @param bk           [kvDim]
 * @param bv           [kvDim]
 * @param wo           [dim, qDim] attention output projection
 * @param bo           [dim]
 * @param ffnNorm      [dim] scale of the pre-feed-forward norm
 * @param ffnNormBias  [dim]
 * @param wGate        [ffnDim, dim] SwiGLU gate (llama family), else null
 * @param wUp          [ffnDim, dim]
 * @param bUp          [ffnDim]
 * @param wDown        [dim, ffnDim]
 * @param bDown        [dim]
 */
public record LayerWeights(
        float[] attnNorm, float[] attnNormBias,
        WeightMatrix wqkv, float[] bqkv,
        WeightMatrix wq, WeightMatrix wk, WeightMatrix wv,
        float[] bq, float[] bk, float[] bv,
        WeightMatrix wo, float[] bo,
        float[] ffnNorm, float[] ffnNormBias,
        WeightMatrix wGate, WeightMatrix wUp, float[] bUp,
        WeightMatrix wDown, float[] bDown) {
}
