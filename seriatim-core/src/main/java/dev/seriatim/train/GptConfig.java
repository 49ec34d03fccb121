package dev.seriatim.train;

/**
 * Shape of a llama-style GPT: RMSNorm, interleaved RoPE, SwiGLU, no biases.
 *
 * @param ffnDim          hidden width of the SwiGLU block
 * @param context         positions the model is trained on (and exported for)
 * @param tiedEmbeddings  whether the output projection reuses the token embedding
 */
public record GptConfig(int vocabSize, int dim, int layers, int heads, int ffnDim, int context, float normEps,
        float ropeTheta, boolean tiedEmbeddings) {

    public GptConfig {
        if (vocabSize < 1 || dim < 1 || layers < 1 || heads < 1 || ffnDim < 1 || context < 2) {
            throw new IllegalArgumentException("model sizes must be positive (context at least 2)");
        }
        if (dim % heads != 0 || (dim / heads) % 2 != 0) {
            throw new IllegalArgumentException("dim " + dim + " must split into " + heads
                    + " heads of an even size (RoPE rotates pairs)");
        }
    }

    /** The llama defaults for everything but the sizes: SwiGLU width 8/3 dim rounded up to 32, eps 1e-5, base 10000. */
    public static GptConfig llamaStyle(int vocabSize, int dim, int layers, int heads, int context, boolean tied) {
        int ffn = (8 * dim / 3 + 31) / 32 * 32;
        return new GptConfig(vocabSize, dim, layers, heads, ffn, context, 1e-5f, 10000f, tied);
    }

    public int headDim() {
        return dim / heads;
    }
}
