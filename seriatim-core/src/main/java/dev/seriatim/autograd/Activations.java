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
     * SwiGLU gate: y = silu(gate) * up, elementwise. The forward is the inference kernel's
     * formula, (float) (g / (1 + e^-g)) * u, written out here so that the sigmoid it computes on
     * the way can be kept: the backward then needs no exponential of its own.
     */
    public static Tensor swiglu(Tape tape, Tensor gate, Tensor up) {
        if (gate.size() != up.size()) {
            throw new IllegalArgumentException("swiglu: gate " + gate + " and up " + up + " differ in size");
        }
        float[] g = gate.data();
        float[] u = up.data();
        float[] y = new float[g.length];
        boolean needsGrad = tape.needsGrad(gate, up);
        float[] sigmoid = needsGrad ? new float[g.length] : null;
        // elementwise, so splitting across threads cannot change a value
        tape.parallel().forRange(g.length, (start, end) -> {
            for (int i = start; i < end; i++) {
                double e = Math.exp(-g[i]);
                y[i] = (float) (g[i] / (1.0 + e)) * u[i];
                if (sigmoid != null) {
                    sigmoid[i] = (float) (1 / (1.0 + e));
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
