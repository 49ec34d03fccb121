package dev.seriatim.autograd;

import dev.seriatim.tensor.Kernels;
import java.util.Arrays;

/** Addition and multiplication with NumPy broadcasting, and scaling by a constant. */
public final class Elementwise {

    private Elementwise() {}

    public static Tensor add(Tape tape, Tensor a, Tensor b) {
        return binary(tape, a, b, false);
    }

    public static Tensor mul(Tape tape, Tensor a, Tensor b) {
        return binary(tape, a, b, true);
    }

    /** y = s x. */
    public static Tensor scale(Tape tape, Tensor x, float s) {
        float[] y = x.data().clone();
        Kernels.scale(y, 0, y.length, s);
        Tensor result = Tensor.result(y, tape.needsGrad(x), x.shape());
        if (result.requiresGrad()) {
            tape.record(() -> Kernels.axpy(s, result.grad(), 0, x.grad(), 0, y.length));
        }
        return result;
    }

    private static Tensor binary(Tape tape, Tensor a, Tensor b, boolean multiply) {
        int[] shape = broadcastShape(a.shape(), b.shape());
        int n = a.size() == b.size() && Arrays.equals(a.shape(), b.shape()) ? a.size() : -1;
        float[] y;
        int[] ia;
        int[] ib;
        if (n >= 0) {
            y = a.data().clone();
            if (multiply) {
                Kernels.mul(y, 0, b.data(), 0, n);
            } else {
                Kernels.add(y, 0, b.data(), 0, n);
            }
            ia = null;
            ib = null;
        } else {
            ia = sourceIndex(a.shape(), shape);
            ib = sourceIndex(b.shape(), shape);
            y = new float[ia.length];
            for (int i = 0; i < y.length; i++) {
                float u = a.data()[ia[i]];
                float v = b.data()[ib[i]];
                y[i] = multiply ? u * v : u + v;
            }
        }
        Tensor result = Tensor.result(y, tape.needsGrad(a, b), shape);
        if (result.requiresGrad()) {
            tape.record(() -> {
                float[] dy = result.grad();
                for (int i = 0; i < dy.length; i++) {
                    int i1 = ia == null ? i : ia[i];
                    int i2 = ib == null ? i : ib[i];
                    if (a.requiresGrad()) {
                        a.grad()[i1] += multiply ? dy[i] * b.data()[i2] : dy[i];
                    }
                    if (b.requiresGrad()) {
                        b.grad()[i2] += multiply ? dy[i] * a.data()[i1] : dy[i];
                    }
                }
            });
        }
        return result;
    }

    /** The broadcast of two shapes, aligned at their last dimension. */
    static int[] broadcastShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /** For every element of the output shape, the index of the element of {@code in} it reads. */
    private static int[] sourceIndex(int[] in, int[] out) {
        int rank = out.length;
        int[] stride = new int[rank];
        int s = 1;
        for (int i = in.length - 1; i >= 0; i--) {
            int axis = i + rank - in.length;
            stride[axis] = in[i] == 1 ? 0 : s;
            s *= in[i];
        }
        int total = 1;
        for (int d : out) {
            total *= d;
        }
        int[] index = new int[total];
        int[] counter = new int[rank];
        int at = 0;
        for (int i = 0; i < total; i++) {
            index[i] = at;
            for (int axis = rank - 1; axis >= 0; axis--) {
                counter[axis]++;
                at += stride[axis];
                if (counter[axis] < out[axis]) {
                    break;
                }
                at -= stride[axis] * counter[axis];
                counter[axis] = 0;
            }
        }
        return index;
    }
}
