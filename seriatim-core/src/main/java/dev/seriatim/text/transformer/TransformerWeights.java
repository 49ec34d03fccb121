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

    /**
     * Weight bytes one generated token reads: every matrix of every block and the output
     * projection once, plus one row of the token embedding. The bound of memory bandwidth on
     * generation speed comes from this figure.
     */
    public long bytesReadPerToken() {
        long total = output.byteSize() + tokenEmbedding.byteSize() / tokenEmbedding.rows();
        for (LayerWeights layer : layers) {
            for (WeightMatrix m : new WeightMatrix[] {layer.wqkv(), layer.wq(), layer.wk(), layer.wv(), layer.wo(),
                    layer.wGate(), layer.wUp(), layer.wDown()}) {
                total += m == null ? 0 : m.byteSize();
            }
        }
        return total;
    }
}
