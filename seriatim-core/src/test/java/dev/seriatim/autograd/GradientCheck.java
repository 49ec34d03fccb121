package dev.seriatim.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.tensor.Parallel;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Finite-difference check of an op's backward pass: the scalar L = sum(f(inputs) * R) for a
 * fixed random R is differentiated by the tape and by central differences (in double, from the
 * float forward), element by element for a sample of each input's elements.
 */
final class GradientCheck {

    private static final double STEP = 1e-2;

    private GradientCheck() {}

    static void check(Random random, List<Tensor> inputs, Function<Tape, Tensor> f) {
        check(random, inputs, f, 2e-2);
    }

    static void check(Random random, List<Tensor> inputs, Function<Tape, Tensor> f, double tolerance) {
        try (Parallel parallel = new Parallel(2)) {
            Tape probe = new Tape(parallel);
            Tensor out = f.apply(probe);
            float[] weights = gaussian(random, out.size());
            probe.clear();

            Tape tape = new Tape(parallel);
            Tensor y = f.apply(tape);
            Tensor loss = Reductions.sum(tape, Elementwise.mul(tape, y, Tensor.constant(weights, y.shape())));
            inputs.forEach(Tensor::zeroGrad);
            tape.backward(loss);

            for (Tensor input : inputs) {
                float[] analytic = input.grad().clone();
                int samples = Math.min(input.size(), 24);
                for (int s = 0; s < samples; s++) {
                    int i = input.size() <= 24 ? s : random.nextInt(input.size());
                    float saved = input.data()[i];
                    input.data()[i] = (float) (saved + STEP);
                    double up = weighted(parallel, f, weights);
                    input.data()[i] = (float) (saved - STEP);
                    double down = weighted(parallel, f, weights);
                    input.data()[i] = saved;
                    double numeric = (up - down) / (2 * STEP);
                    assertThat(Math.abs(analytic[i] - numeric))
                            .as("d/d%s[%d]: analytic %s, numeric %s", input, i, analytic[i], numeric)
                            .isLessThanOrEqualTo(tolerance * Math.max(1, Math.abs(numeric)));
                }
            }
        }
    }

    private static double weighted(Parallel parallel, Function<Tape, Tensor> f, float[] weights) {
        Tape tape = new Tape(parallel);
        float[] y = f.apply(tape).data();
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += (double) y[i] * weights[i];
        }
        return s;
    }

    static float[] gaussian(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }

    static Tensor parameter(Random random, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return Tensor.parameter(gaussian(random, n), shape);
    }
}
