package dev.seriatim.autograd;

/** Reductions to a scalar. */
public final class Reductions {

    private Reductions() {}

    /** The sum of all elements (accumulated in double), shape [1]. */
    public static Tensor sum(Tape tape, Tensor x) {
        double s = 0;
        for (float v : x.data()) {
            s += v;
        }
        Tensor result = Tensor.result(new float[] {(float) s}, tape.needsGrad(x), 1);
        if (result.requiresGrad()) {
            tape.record(() -> {
                float g = result.grad()[0];
                for (int i = 0; i < x.size(); i++) {
                    x.grad()[i] += g;
                }
            });
        }
        return result;
    }
}
