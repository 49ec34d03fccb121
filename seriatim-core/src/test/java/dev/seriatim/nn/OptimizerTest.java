package dev.seriatim.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.seriatim.autograd.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** AdamW, clipping and the schedule against their formulas written out in double. */
class OptimizerTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void adamWFollowsTheDecoupledFormula(int seed) {
        Random random = new Random(seed);
        int n = 1 + random.nextInt(20);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) random.nextGaussian();
        }
        Tensor t = Tensor.parameter(w.clone(), n);
        AdamW.Settings s = new AdamW.Settings(0.9f, 0.95f, 1e-8f, 0.1f);
        AdamW adam = new AdamW(List.of(new Parameter("w", t, true)), s);
        double[] p = new double[n];
        double[] m = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = w[i];
        }
        for (int step = 1; step <= 5; step++) {
            float lr = 0.01f * step;
            for (int i = 0; i < n; i++) {
                t.grad()[i] = (float) random.nextGaussian();
                double g = t.grad()[i];
                p[i] *= 1 - lr * 0.1;
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.95 * v[i] + 0.05 * g * g;
                double mHat = m[i] / (1 - Math.pow(0.9, step));
                double vHat = v[i] / (1 - Math.pow(0.95, step));
                p[i] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
            }
            adam.step(lr);
        }
        for (int i = 0; i < n; i++) {
            assertThat((double) t.data()[i]).isCloseTo(p[i], within(1e-5));
        }
        assertThat(adam.steps()).isEqualTo(5);
    }

    @Test
    void undecayedParametersAreNotShrunk() {
        Tensor t = Tensor.parameter(new float[] {2f}, 1);
        AdamW adam = new AdamW(List.of(new Parameter("scale", t, false)), new AdamW.Settings(0.9f, 0.95f, 1e-8f, 0.5f));
        adam.step(0.1f); // zero gradient: only decay could move it
        assertThat(t.data()[0]).isEqualTo(2f);
    }

    @Test
    void clippingScalesTheGlobalNormDownToTheMaximum() {
        Tensor a = Tensor.parameter(new float[2], 2);
        Tensor b = Tensor.parameter(new float[1], 1);
        a.grad()[0] = 3;
        a.grad()[1] = 0;
        b.grad()[0] = 4;
        List<Parameter> ps = List.of(new Parameter("a", a, true), new Parameter("b", b, true));
        assertThat(GradientClipping.clipGlobalNorm(ps, 1)).isCloseTo(5, within(1e-9));
        assertThat((double) a.grad()[0]).isCloseTo(0.6, within(1e-6));
        assertThat((double) b.grad()[0]).isCloseTo(0.8, within(1e-6));
        assertThat(GradientClipping.clipGlobalNorm(ps, 10)).isCloseTo(1, within(1e-6));
    }

    @Test
    void warmupThenCosineToTheMinimum() {
        LearningRateSchedule s = new LearningRateSchedule(1f, 0.1f, 10, 110);
        assertThat(s.rate(0)).isCloseTo(0.1f, within(1e-7f));
        assertThat(s.rate(9)).isEqualTo(1f);
        assertThat(s.rate(10)).isEqualTo(1f);
        assertThat(s.rate(60)).isCloseTo(0.55f, within(1e-6f));
        assertThat(s.rate(110)).isEqualTo(0.1f);
        assertThat(s.rate(500)).isEqualTo(0.1f);
    }
}
