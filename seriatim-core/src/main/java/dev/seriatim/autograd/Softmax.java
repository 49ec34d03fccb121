package dev.seriatim.autograd;

import dev.seriatim.tensor.Kernels;

/** Softmax over the last dimension. */
public final class Softmax {

    private Softmax() {}

    public static Tensor lastDim(Tape tape, Tensor x) {
        int n = x.dim(-1);
        int rows = x.rows();
        float[] y = x.data().clone();
        for (int r = 0; r < rows; r++) {
            Kernels.softmax(y, r * n, n);
        }
        Tensor result = Tensor.result(y, tape.needsGrad(x), x.shape());
        if (result.requiresGrad()) {
            tape.record(() -> {
                float[] dy = result.grad();
                for (int r = 0; r < rows; r++) {
                    float dot = Kernels.dot(dy, r * n, y, r * n, n);
                    for (int i = 0; i < n; i++) {
                        x.grad()[r * n + i] += y[r * n + i] * (dy[r * n + i] - dot);
                    }
                }
            });
        }
        return result;
    }
}
