package dev.seriatim.autograd;

import dev.seriatim.tensor.Kernels;

/** Pointwise nonlinearities, forward with the inference engine's kernels. */
public final class Activations {

    private static final double GELU_C = Math.sqrt(2 / Math.PI);

    private Activations() {}

    /** y = x sigmoid(x). */
    public static Tensor silu(Tape tape, Tensor x) {
        float[] y = x.data().clone();
        Kernels.silu(y, 0, y.length);
        Tensor result = Tensor.result(y, tape.needsGrad(x), x.shape());
        if (result.requiresGrad()) {
            tape.record(() -> {
                float[] xs = x.data();
                for (int i = 0; i < xs.length; i++) {
                    x.grad()[i] += result.grad()[i] * siluDerivative(xs[i]);
                }
            });
        }
        return result;
    }

    /** GELU, tanh approximation (GPT-2). */
    public static Tensor gelu(Tape tape, Tensor x) {
        float[] y = x.data().clone();
        Kernels.gelu(y, 0, y.length);
        Tensor result = Tensor.result(y, tape.needsGrad(x), x.shape());
        if (result.requiresGrad()) {
            tape.record(() -> {
                float[] xs = x.data();
                for (int i = 0; i < xs.length; i++) {
                    double v = xs[i];
                    double t = Math.tanh(GELU_C * (v + 0.044715 * v * v * v));
                    double d = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * v * v);
                    x.grad()[i] += (float) (result.grad()[i] * d);
                }
            });
        }
        return result;
    }

    /**
     * SwiGLU gate: y = silu(gate) * up, elementwise. The forward is the inference kernel
     * ({@link Kernels#swiglu}), so a trained model computes the same numbers in both engines;
     * the sigmoid the backward needs is computed beside it.
     */
    public static Tensor swiglu(Tape tape, Tensor gate, Tensor up) {
        if (gate.size() != up.size()) {
            throw new IllegalArgumentException("swiglu: gate " + gate + " and up " + up + " differ in size");
        }
        float[] g = gate.data();
        float[] u = up.data();
        float[] y = g.clone();
        boolean needsGrad = tape.needsGrad(gate, up);
        float[] sigmoid = needsGrad ? new float[g.length] : null;
        // elementwise, so splitting across threads cannot change a value
        tape.parallel().forRange(g.length, (start, end) -> {
            Kernels.swiglu(y, u, start, end - start);
            if (sigmoid != null) {
                for (int i = start; i < end; i++) {
                    sigmoid[i] = (float) (1 / (1.0 + Math.exp(-g[i])));
                }
            }
        });
        Tensor result = Tensor.result(y, needsGrad, gate.shape());
        if (result.requiresGrad()) {
            tape.record(() -> {
                float[] dy = result.grad();
                float[] dGate = gate.requiresGrad() ? gate.grad() : new float[g.length];
                float[] dUp = up.requiresGrad() ? up.grad() : new float[g.length];
                tape.parallel().forRange(g.length, (start, end) -> {
                    for (int i = start; i < end; i++) {
                        float s = sigmoid[i];
                        dGate[i] += dy[i] * u[i] * s * (1 + g[i] * (1 - s));
                        dUp[i] += dy[i] * g[i] * s;
                    }
                });
            });
        }
        return result;
    }

    private static float siluDerivative(float x) {
        double s = 1 / (1 + Math.exp(-x));
        return (float) (s * (1 + x * (1 - s)));
    }
}
