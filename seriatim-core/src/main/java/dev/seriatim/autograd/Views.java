package dev.seriatim.autograd;

/**
 * Changes of shape. A reshape is a true view: the result shares the values and the gradient
 * of its input, so it needs no backward step. Transpose and narrow copy (row-major storage
 * cannot express them without strides) and copy the gradient back.
 */
public final class Views {

    private Views() {}

    /** The same values with another shape of the same size. */
    public static Tensor reshape(Tensor x, int... shape) {
        return x.sharing(shape);
    }

    /** Swaps the last two dimensions: [..., m, n] to [..., n, m]. */
    public static Tensor transpose(Tape tape, Tensor x) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException("transpose needs at least two dimensions: " + x);
        }
        int m = x.dim(-2);
        int n = x.dim(-1);
        int batch = x.size() / (m * n);
        float[] y = new float[x.size()];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(dev.seriatim.tensor.Gemm.transpose(x.data(), b * m * n, m, n), 0, y, b * m * n, m * n);
        }
        int[] shape = x.shape();
        shape[shape.length - 2] = n;
        shape[shape.length - 1] = m;
        Tensor result = Tensor.result(y, tape.needsGrad(x), shape);
        if (result.requiresGrad()) {
            tape.record(() -> {
                for (int b = 0; b < batch; b++) {
                    float[] back = dev.seriatim.tensor.Gemm.transpose(result.grad(), b * m * n, n, m);
                    for (int i = 0; i < m * n; i++) {
                        x.grad()[b * m * n + i] += back[i];
                    }
                }
            });
        }
        return result;
    }

    /** The slice [start, start + length) of dimension {@code axis}, all others whole. */
    public static Tensor narrow(Tape tape, Tensor x, int axis, int start, int length) {
        int[] shape = x.shape();
        int a = axis < 0 ? shape.length + axis : axis;
        if (start < 0 || length < 1 || start + length > shape[a]) {
            throw new IllegalArgumentException("narrow [" + start + ", " + (start + length) + ") of dimension "
                    + a + " of " + x);
        }
        int outerCount = 1;
        for (int i = 0; i < a; i++) {
            outerCount *= shape[i];
        }
        int outer = outerCount;
        int inner = x.size() / outer / shape[a];
        int from = shape[a] * inner;
        int to = length * inner;
        float[] y = new float[outer * to];
        for (int o = 0; o < outer; o++) {
            System.arraycopy(x.data(), o * from + start * inner, y, o * to, to);
        }
        shape[a] = length;
        Tensor result = Tensor.result(y, tape.needsGrad(x), shape);
        if (result.requiresGrad()) {
            tape.record(() -> {
                for (int o = 0; o < outer; o++) {
                    for (int i = 0; i < to; i++) {
                        x.grad()[o * from + start * inner + i] += result.grad()[o * to + i];
                    }
                }
            });
        }
        return result;
    }
}
