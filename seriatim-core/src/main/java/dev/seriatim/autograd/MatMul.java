package dev.seriatim.autograd;

import dev.seriatim.tensor.Gemm;


/** Matrix products: the linear layer x w^T, and batched a b. */
public final class MatMul {

    private MatMul() {}

    /**
     * y[..., out] = x[..., in] w^T for w of shape [out, in] (the layout of GGUF weights and of
     * torch.nn.Linear): all leading dimensions of x are rows of one GEMM.
     */
    public static Tensor linear(Tape tape, Tensor x, Tensor w) {
        if (w.rank() != 2 || w.dim(1) != x.dim(-1)) {
            throw new IllegalArgumentException("linear: input " + x + " does not fit weight " + w);
        }
        int m = x.rows();
        int in = w.dim(1);
        int out = w.dim(0);
        float[] y = new float[m * out];
        Gemm.xwT(x.data(), w.data(), y, m, in, out, tape.parallel());
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        Tensor result = Tensor.result(y, tape.needsGrad(x, w), shape);
        if (result.requiresGrad()) {
            tape.record(() -> {
                if (x.requiresGrad()) {
                    Gemm.dyW(result.grad(), w.data(), x.grad(), m, out, in, tape.parallel());
                }
                if (w.requiresGrad()) {
                    Gemm.dyTx(result.grad(), x.data(), w.grad(), m, out, in, tape.parallel());
                }
            });
        }
        return result;
    }

    /**
     * c = a b for a [M, K] and b [K, N], or batched: a [B, M, K] with b [B, K, N] (or b [K, N]
     * shared by every batch entry).
     */
    public static Tensor matmul(Tape tape, Tensor a, Tensor b) {
        int batch = a.rank() == 3 ? a.dim(0) : 1;
        boolean sharedB = b.rank() == 2;
        int m = a.dim(-2);
        int k = a.dim(-1);
        int n = b.dim(-1);
        if (a.rank() < 2 || a.rank() > 3 || b.dim(-2) != k || !(sharedB || b.rank() == 3 && b.dim(0) == batch)) {
            throw new IllegalArgumentException("matmul: shapes " + a + " and " + b + " do not fit");
        }
        int bStride = sharedB ? 0 : k * n;
        float[] c = new float[batch * m * n];
        for (int i = 0; i < batch; i++) {
            Gemm.accumulate(a.data(), i * m * k, k, 1, b.data(), i * bStride, c, i * m * n, m, k, n, tape.parallel());
        }
        int[] shape = a.rank() == 3 ? new int[] {batch, m, n} : new int[] {m, n};
        Tensor result = Tensor.result(c, tape.needsGrad(a, b), shape);
        if (result.requiresGrad()) {
            tape.record(() -> {
                float[] dc = result.grad();
                for (int i = 0; i < batch; i++) {
                    if (a.requiresGrad()) {
                        // da[m, k] += dc[m, n] b^T[n, k]
                        float[] bT = Gemm.transpose(b.data(), i * bStride, k, n);
                        Gemm.accumulate(dc, i * m * n, n, 1, bT, 0, a.grad(), i * m * k, m, n, k, tape.parallel());
                    }
                    if (b.requiresGrad()) {
                        // db[k, n] += a^T[k, m] dc[m, n]
                        Gemm.accumulate(a.data(), i * m * k, 1, k, dc, i * m * n, b.grad(), i * bStride, k, m, n,
                                tape.parallel());
                    }
                }
            });
        }
        return result;
    }

}
