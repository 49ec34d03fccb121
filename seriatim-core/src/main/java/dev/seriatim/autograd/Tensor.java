package dev.seriatim.autograd;

import java.util.Arrays;

/**
 * A float tensor on the tape: row-major values, a shape, and, when it takes part in
 * differentiation, a gradient array of the same size. Ops never change their inputs' values;
 * the backward pass adds into {@link #grad()}.
 */
public final class Tensor {

    private final float[] data;
    private final float[] grad;
    private final int[] shape;

    private Tensor(float[] data, float[] grad, int[] shape) {
        this.data = data;
        this.grad = grad;
        this.shape = shape;
    }

    /** A constant: gradients do not flow into it. */
    public static Tensor constant(float[] data, int... shape) {
        return new Tensor(data, null, checkedShape(data.length, shape));
    }

    /** A leaf that gathers a gradient: a parameter, or an input under a gradient check. */
    public static Tensor parameter(float[] data, int... shape) {
        return new Tensor(data, new float[data.length], checkedShape(data.length, shape));
    }

    /** An op's output; it has a gradient when any input has one. */
    static Tensor result(float[] data, boolean needsGrad, int... shape) {
        return new Tensor(data, needsGrad ? new float[data.length] : null, checkedShape(data.length, shape));
    }

    /** A tensor over the same values and gradient arrays with another shape of the same size. */
    Tensor sharing(int... newShape) {
        return new Tensor(data, grad, checkedShape(data.length, newShape));
    }

    public float[] data() {
        return data;
    }

    /** The gradient, or null for a constant. */
    public float[] grad() {
        return grad;
    }

    public boolean requiresGrad() {
        return grad != null;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension i; negative i counts from the end. */
    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public int size() {
        return data.length;
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (data.length != 1) {
            throw new IllegalStateException("item() of a tensor with " + data.length + " elements");
        }
        return data[0];
    }

    public void zeroGrad() {
        if (grad != null) {
            Arrays.fill(grad, 0f);
        }
    }

    /** Number of rows when the last dimension is taken as the row width. */
    int rows() {
        return data.length / dim(-1);
    }

    private static int[] checkedShape(int size, int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("dimensions must be positive: " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != size) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                    + " values, not " + size);
        }
        return shape.clone();
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + (grad != null ? " (grad)" : "");
    }
}
