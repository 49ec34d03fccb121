package dev.seriatim.autograd;

import dev.seriatim.tensor.Gemm;
import dev.seriatim.tensor.Kernels;
import java.util.Arrays;

/**
 * Multi-head causal self-attention as one op, forward and backward, parallel over (sequence,
 * head) pairs. Per pair the work is five small matrix products on the training GEMM (scores
 * Q K^T, output P V; backward dP = dO V^T, dQ = dS K, dK = dS^T Q, dV = P^T dO) on contiguous
 * copies of the head's slices. The op keeps the attention probabilities P (seqLen x seqLen per
 * pair, zero above the diagonal): the backward needs them, and nothing else is kept.
 *
 * <p>The forward matches the inference engine's algorithm (scaled dot products, softmax over the
 * visible positions, weighted sum of values) up to the order of float additions.
 */
public final class CausalSelfAttention {

    private CausalSelfAttention() {}

    /**
     * q, k, v: [batch * seqLen, heads * headDim], rows batch-major; returns the attended values
     * in the same layout (head h in columns [h*headDim, (h+1)*headDim)).
     */
    public static Tensor apply(Tape tape, Tensor q, Tensor k, Tensor v, int batch, int seqLen, int heads) {
        int width = q.dim(-1);
        int headDim = width / heads;
        if (headDim * heads != width || q.size() != batch * seqLen * width || k.size() != q.size()
                || v.size() != q.size()) {
            throw new IllegalArgumentException("attention: q " + q + ", k " + k + ", v " + v + " are not "
                    + batch + " x " + seqLen + " rows of " + heads + " heads");
        }
        float scale = (float) (1.0 / Math.sqrt(headDim));
        int square = seqLen * seqLen;
        float[] probs = new float[batch * heads * square];
        float[] out = new float[q.size()];
        tape.parallel().forRange(batch * heads, (start, end) -> {
            float[] qh = new float[seqLen * headDim];
            float[] kT = new float[headDim * seqLen];
            float[] vh = new float[seqLen * headDim];
            float[] oh = new float[seqLen * headDim];
            for (int task = start; task < end; task++) {
                int base = (task / heads) * seqLen;
                int col = (task % heads) * headDim;
                gather(q.data(), base, col, width, seqLen, headDim, qh);
                gatherTransposed(k.data(), base, col, width, seqLen, headDim, kT);
                gather(v.data(), base, col, width, seqLen, headDim, vh);
                int pOff = task * square;
                Gemm.accumulateSerial(qh, 0, headDim, 1, kT, 0, probs, pOff, seqLen, headDim, seqLen);
                for (int t = 0; t < seqLen; t++) {
                    int row = pOff + t * seqLen;
                    Kernels.scale(probs, row, t + 1, scale);
                    Kernels.softmax(probs, row, t + 1);
                    Arrays.fill(probs, row + t + 1, row + seqLen, 0f); // the future is masked
                }
                Arrays.fill(oh, 0f);
                Gemm.accumulateSerial(probs, pOff, seqLen, 1, vh, 0, oh, 0, seqLen, seqLen, headDim);
                scatterAdd(oh, out, base, col, width, seqLen, headDim);
            }
        });
        Tensor result = Tensor.result(out, tape.needsGrad(q, k, v), q.shape());
        if (result.requiresGrad()) {
            tape.record(() -> backward(tape, q, k, v, result.grad(), probs, batch, seqLen, heads, scale));
        }
        return result;
    }

    private static void backward(Tape tape, Tensor q, Tensor k, Tensor v, float[] dOut, float[] probs, int batch,
            int seqLen, int heads, float scale) {
        int width = q.dim(-1);
        int headDim = width / heads;
        int square = seqLen * seqLen;
        // a tensor without a gradient gets a scratch one, so that the loop below has one shape;
        // a task writes only its own (sequence, head) block of each
        float[] dq = q.requiresGrad() ? q.grad() : new float[q.size()];
        float[] dk = k.requiresGrad() ? k.grad() : new float[k.size()];
        float[] dv = v.requiresGrad() ? v.grad() : new float[v.size()];
        tape.parallel().forRange(batch * heads, (start, end) -> {
            float[] qh = new float[seqLen * headDim];
            float[] kh = new float[seqLen * headDim];
            float[] vT = new float[headDim * seqLen];
            float[] doh = new float[seqLen * headDim];
            float[] dp = new float[square];
            float[] grad = new float[seqLen * headDim];
            for (int task = start; task < end; task++) {
                int base = (task / heads) * seqLen;
                int col = (task % heads) * headDim;
                int pOff = task * square;
                gather(q.data(), base, col, width, seqLen, headDim, qh);
                gather(k.data(), base, col, width, seqLen, headDim, kh);
                gatherTransposed(v.data(), base, col, width, seqLen, headDim, vT);
                gather(dOut, base, col, width, seqLen, headDim, doh);
                // dV = P^T dO
                Arrays.fill(grad, 0f);
                Gemm.accumulateSerial(probs, pOff, 1, seqLen, doh, 0, grad, 0, seqLen, seqLen, headDim);
                scatterAdd(grad, dv, base, col, width, seqLen, headDim);
                // dP = dO V^T, then the softmax's backward: dS = P (dP - rowsum(P dP)), times the scale
                Arrays.fill(dp, 0f);
                Gemm.accumulateSerial(doh, 0, headDim, 1, vT, 0, dp, 0, seqLen, headDim, seqLen);
                for (int t = 0; t < seqLen; t++) {
                    int row = t * seqLen;
                    float shared = Kernels.dot(probs, pOff + row, dp, row, t + 1);
                    for (int j = 0; j <= t; j++) {
                        dp[row + j] = probs[pOff + row + j] * (dp[row + j] - shared) * scale;
                    }
                    Arrays.fill(dp, row + t + 1, row + seqLen, 0f);
                }
                // dQ = dS K
                Arrays.fill(grad, 0f);
                Gemm.accumulateSerial(dp, 0, seqLen, 1, kh, 0, grad, 0, seqLen, seqLen, headDim);
                scatterAdd(grad, dq, base, col, width, seqLen, headDim);
                // dK = dS^T Q
                Arrays.fill(grad, 0f);
                Gemm.accumulateSerial(dp, 0, 1, seqLen, qh, 0, grad, 0, seqLen, seqLen, headDim);
                scatterAdd(grad, dk, base, col, width, seqLen, headDim);
            }
        });
    }

    /** dst[t, :] = src[base + t, col .. col + headDim). */
    private static void gather(float[] src, int base, int col, int width, int seqLen, int headDim, float[] dst) {
        for (int t = 0; t < seqLen; t++) {
            System.arraycopy(src, (base + t) * width + col, dst, t * headDim, headDim);
        }
    }

    /** dst[d, t] = src[base + t, col + d]. */
    private static void gatherTransposed(float[] src, int base, int col, int width, int seqLen, int headDim,
            float[] dst) {
        for (int t = 0; t < seqLen; t++) {
            int from = (base + t) * width + col;
            for (int d = 0; d < headDim; d++) {
                dst[d * seqLen + t] = src[from + d];
            }
        }
    }

    /** dst[base + t, col .. col + headDim) += src[t, :]. */
    private static void scatterAdd(float[] src, float[] dst, int base, int col, int width, int seqLen, int headDim) {
        for (int t = 0; t < seqLen; t++) {
            Kernels.add(dst, (base + t) * width + col, src, t * headDim, headDim);
        }
    }
}
