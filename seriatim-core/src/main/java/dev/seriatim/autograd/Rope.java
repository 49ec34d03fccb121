package dev.seriatim.autograd;

import dev.seriatim.tensor.Kernels;

/**
 * Rotary position embedding with interleaved pairs (2i, 2i+1), the convention of llama GGUF
 * files and of the inference engine ({@link Kernels#ropeInterleaved}). A rotation's transpose is
 * the rotation by the opposite angle, so the backward pass rotates the gradient back.
 */
public final class Rope {

    private Rope() {}

    /**
     * Rotates x [rows, heads * headDim], where row r holds the token at position r % seqLen (rows
     * are batch-major sequences of seqLen tokens).
     */
    public static Tensor interleaved(Tape tape, Tensor x, int seqLen, int heads, RopeAngles angles) {
        int width = x.dim(-1);
        int headDim = width / heads;
        if (headDim * heads != width || x.rows() % seqLen != 0 || seqLen > angles.positions()
                || angles.cos()[0].length * 2 != headDim) {
            throw new IllegalArgumentException("rope: " + x + " is not rows of " + heads + " heads in sequences of "
                    + seqLen + " within the table");
        }
        int rows = x.rows();
        float[] y = x.data().clone();
        tape.parallel().forRange(rows, (start, end) -> {
            for (int r = start; r < end; r++) {
                int pos = r % seqLen;
                Kernels.ropeInterleaved(y, r * width, heads, headDim, angles.cos()[pos], angles.sin()[pos]);
            }
        });
        Tensor result = Tensor.result(y, tape.needsGrad(x), x.shape());
        if (result.requiresGrad()) {
            tape.record(() -> {
                float[] back = result.grad().clone();
                tape.parallel().forRange(rows, (start, end) -> {
                    for (int r = start; r < end; r++) {
                        int pos = r % seqLen;
                        Kernels.ropeInterleaved(back, r * width, heads, headDim, angles.cos()[pos],
                                angles.negatedSin()[pos]);
                    }
                });
                Kernels.add(x.grad(), 0, back, 0, back.length);
            });
        }
        return result;
    }
}
