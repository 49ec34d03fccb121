package dev.seriatim.autograd;

import dev.seriatim.tensor.Kernels;

/**
 * Multi-head causal self-attention as one op, forward and backward, parallel over (sequence,
 * head) pairs. The forward is the inference engine's algorithm (scaled dot products, softmax,
 * weighted sum of values). It keeps only the attention probabilities, in a packed lower
 * triangle per (sequence, head) (seqLen (seqLen + 1) / 2 values): the backward needs them and
 * nothing else, and no scores are materialised for masked positions.
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
        int triangle = seqLen * (seqLen + 1) / 2;
        float[] probs = new float[batch * heads * triangle];
        float[] out = new float[q.size()];
        float[] qs = q.data();
        float[] ks = k.data();
        float[] vs = v.data();
        tape.parallel().forRange(batch * heads, (start, end) -> {
            for (int task = start; task < end; task++) {
                int b = task / heads;
                int col = (task % heads) * headDim;
                int base = b * seqLen;
                int pOff = task * triangle;
                for (int t = 0; t < seqLen; t++) {
                    int row = pOff + t * (t + 1) / 2;
                    int qAt = (base + t) * width + col;
                    for (int j = 0; j <= t; j++) {
                        probs[row + j] = Kernels.dot(qs, qAt, ks, (base + j) * width + col, headDim) * scale;
                    }
                    Kernels.softmax(probs, row, t + 1);
                    for (int j = 0; j <= t; j++) {
                        Kernels.axpy(probs[row + j], vs, (base + j) * width + col, out, qAt, headDim);
                    }
                }
            }
        });
        Tensor result = Tensor.result(out, Tape.anyGrad(q, k, v), q.shape());
        if (result.requiresGrad()) {
            tape.record(() -> backward(tape, q, k, v, result.grad(), probs, batch, seqLen, heads, scale));
        }
        return result;
    }

    private static void backward(Tape tape, Tensor q, Tensor k, Tensor v, float[] dOut, float[] probs, int batch,
            int seqLen, int heads, float scale) {
        int width = q.dim(-1);
        int headDim = width / heads;
        int triangle = seqLen * (seqLen + 1) / 2;
        float[] qs = q.data();
        float[] ks = k.data();
        float[] vs = v.data();
        // every tensor gets its gradient through scratch arrays when it has none, so the loop
        // below has one shape; a task writes only its own (sequence, head) block of each
        float[] dq = q.requiresGrad() ? q.grad() : new float[q.size()];
        float[] dk = k.requiresGrad() ? k.grad() : new float[k.size()];
        float[] dv = v.requiresGrad() ? v.grad() : new float[v.size()];
        tape.parallel().forRange(batch * heads, (start, end) -> {
            float[] dScore = new float[seqLen];
            for (int task = start; task < end; task++) {
                int b = task / heads;
                int col = (task % heads) * headDim;
                int base = b * seqLen;
                int pOff = task * triangle;
                for (int t = 0; t < seqLen; t++) {
                    int row = pOff + t * (t + 1) / 2;
                    int at = (base + t) * width + col;
                    double weighted = 0; // sum over j of p_j dP_j, the softmax's shared term
                    for (int j = 0; j <= t; j++) {
                        int jAt = (base + j) * width + col;
                        float dp = Kernels.dot(dOut, at, vs, jAt, headDim);
                        dScore[j] = dp;
                        weighted += (double) probs[row + j] * dp;
                        Kernels.axpy(probs[row + j], dOut, at, dv, jAt, headDim);
                    }
                    for (int j = 0; j <= t; j++) {
                        int jAt = (base + j) * width + col;
                        float ds = probs[row + j] * (float) (dScore[j] - weighted) * scale;
                        Kernels.axpy(ds, ks, jAt, dq, at, headDim);
                        Kernels.axpy(ds, qs, at, dk, jAt, headDim);
                    }
                }
            }
        });
    }
}
