package dev.seriatim.text.transformer;

/**
 * Hyperparameters of a decoder-only transformer, as read from GGUF metadata.
 *
 * @param ropeDim     number of leading dimensions of each head that are rotated (even, at most headDim)
 * @param ropeScale   linear position scaling: positions are divided by it (1 when unscaled)
 * @param tiedOutput  whether the output projection reuses the token embedding
 * @param rope        which dimensions RoPE rotates together: the architecture's convention for a
 *                    GGUF file; a Hugging Face Llama checkpoint keeps its own (split halves), so
 *                    its q and k rows are used as stored instead of being permuted into a copy
 */
public record TransformerConfig(
        Architecture architecture,
        int dim,
        int layers,
        int heads,
        int kvHeads,
        int headDim,
        int ffnDim,
        int vocabSize,
        int contextLength,
        float normEps,
        float ropeTheta,
        int ropeDim,
        float ropeScale,
        boolean tiedOutput,
        Architecture.Rope rope) {

    /** The architecture's own RoPE convention, as a GGUF file of it uses. */
    public TransformerConfig(Architecture architecture, int dim, int layers, int heads, int kvHeads, int headDim,
            int ffnDim, int vocabSize, int contextLength, float normEps, float ropeTheta, int ropeDim, float ropeScale,
            boolean tiedOutput) {
        this(architecture, dim, layers, heads, kvHeads, headDim, ffnDim, vocabSize, contextLength, normEps, ropeTheta,
                ropeDim, ropeScale, tiedOutput, architecture.rope());
    }

    public TransformerConfig {
        require(dim > 0 && layers > 0 && heads > 0 && kvHeads > 0 && ffnDim > 0 && vocabSize > 0
                && contextLength > 0, "sizes must be positive");
        require(heads % kvHeads == 0, "head count " + heads + " is not a multiple of the kv head count " + kvHeads);
        require(headDim > 0 && headDim * heads == dim || architecture != Architecture.GPT2,
                "head size times head count must equal the embedding size");
        require(ropeDim % 2 == 0 && ropeDim <= headDim, "rope dimension " + ropeDim + " must be even and at most the head size " + headDim);
        require(normEps > 0 && Float.isFinite(normEps), "norm epsilon must be positive");
        require(ropeTheta > 0 && Float.isFinite(ropeTheta), "rope base must be positive");
        require(ropeScale > 0 && Float.isFinite(ropeScale), "rope scale must be positive");
        require(rope != null && (rope == Architecture.Rope.NONE) == (architecture.rope() == Architecture.Rope.NONE),
                "rope " + rope + " does not fit architecture " + architecture);
    }

    /** Width of the key and value projections. */
    public int kvDim() {
        return kvHeads * headDim;
    }

    /** Width of the query projection. */
    public int qDim() {
        return heads * headDim;
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new UnsupportedModelException("bad model hyperparameters: " + problem);
        }
    }
}
