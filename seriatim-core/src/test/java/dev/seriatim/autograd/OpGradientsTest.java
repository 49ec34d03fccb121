package dev.seriatim.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every op's backward pass against finite differences, on random shapes and values. */
class OpGradientsTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void linear(int seed) {
        Random r = new Random(seed);
        int rows = 1 + r.nextInt(9);
        int in = 1 + r.nextInt(40);
        int out = 1 + r.nextInt(40);
        Tensor x = GradientCheck.parameter(r, 1, rows, in);
        Tensor w = GradientCheck.parameter(r, out, in);
        GradientCheck.check(r, List.of(x, w), t -> MatMul.linear(t, x, w));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void batchedMatmul(int seed) {
        Random r = new Random(seed);
        int b = 1 + r.nextInt(3);
        int m = 1 + r.nextInt(7);
        int k = 1 + r.nextInt(20);
        int n = 1 + r.nextInt(35);
        Tensor a = GradientCheck.parameter(r, b, m, k);
        Tensor bb = seed == 3 ? GradientCheck.parameter(r, k, n) : GradientCheck.parameter(r, b, k, n);
        GradientCheck.check(r, List.of(a, bb), t -> MatMul.matmul(t, a, bb));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void broadcastingAddAndMul(int seed) {
        Random r = new Random(seed);
        Tensor a = GradientCheck.parameter(r, 3, 1, 5);
        Tensor b = GradientCheck.parameter(r, 4, 1);
        Tensor c = GradientCheck.parameter(r, 3, 4, 5);
        GradientCheck.check(r, List.of(a, b, c),
                t -> Elementwise.mul(t, Elementwise.add(t, a, b), Elementwise.scale(t, c, 0.5f)));
        assertThat(Elementwise.add(new Tape(dev.seriatim.tensor.Parallel.serial()), a, b).shape())
                .containsExactly(3, 4, 5);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void views(int seed) {
        Random r = new Random(seed);
        Tensor x = GradientCheck.parameter(r, 2, 3, 4);
        GradientCheck.check(r, List.of(x), t -> {
            Tensor flat = Views.reshape(x, 6, 4);
            Tensor tr = Views.transpose(t, flat);
            Tensor part = Views.narrow(t, tr, 1, 1, 3);
            return Elementwise.mul(t, part, part);
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void embedding(int seed) {
        Random r = new Random(seed);
        Tensor table = GradientCheck.parameter(r, 7, 5);
        int[] ids = {3, 0, 3, 6, 1};
        GradientCheck.check(r, List.of(table), t -> Embedding.lookup(t, table, ids));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void rmsNorm(int seed) {
        Random r = new Random(seed);
        Tensor x = GradientCheck.parameter(r, 3, 2 + r.nextInt(30));
        Tensor w = GradientCheck.parameter(r, x.dim(-1));
        GradientCheck.check(r, List.of(x, w), t -> Normalization.rmsNorm(t, x, w, 1e-5f));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void layerNorm(int seed) {
        Random r = new Random(seed);
        Tensor x = GradientCheck.parameter(r, 3, 2 + r.nextInt(30));
        Tensor w = GradientCheck.parameter(r, x.dim(-1));
        Tensor b = GradientCheck.parameter(r, x.dim(-1));
        GradientCheck.check(r, List.of(x, w, b), t -> Normalization.layerNorm(t, x, w, b, 1e-5f));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void activations(int seed) {
        Random r = new Random(seed);
        Tensor x = GradientCheck.parameter(r, 4, 9);
        Tensor g = GradientCheck.parameter(r, 4, 9);
        Tensor u = GradientCheck.parameter(r, 4, 9);
        GradientCheck.check(r, List.of(x), t -> Activations.silu(t, x));
        GradientCheck.check(r, List.of(x), t -> Activations.gelu(t, x));
        GradientCheck.check(r, List.of(g, u), t -> Activations.swiglu(t, g, u));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aTapeWithoutGradientsComputesTheSameValuesAndRecordsNothing(int seed) {
        Random r = new Random(seed);
        Tensor x = GradientCheck.parameter(r, 6, 8);
        Tensor w = GradientCheck.parameter(r, 5, 8);
        Tape recording = new Tape(dev.seriatim.tensor.Parallel.serial());
        Tape plain = Tape.withoutGradients(dev.seriatim.tensor.Parallel.serial());
        Tensor a = Activations.silu(recording, MatMul.linear(recording, x, w));
        Tensor b = Activations.silu(plain, MatMul.linear(plain, x, w));
        assertThat(b.data()).containsExactly(a.data());
        assertThat(recording.size()).isEqualTo(2);
        assertThat(plain.size()).isZero();
        assertThat(b.requiresGrad()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void swigluForwardIsTheInferenceKernel(int seed) {
        Random r = new Random(seed);
        Tensor g = GradientCheck.parameter(r, 3, 50);
        Tensor u = GradientCheck.parameter(r, 3, 50);
        float[] expected = g.data().clone();
        dev.seriatim.tensor.Kernels.swiglu(expected, u.data(), expected.length);
        assertThat(Activations.swiglu(new Tape(dev.seriatim.tensor.Parallel.serial()), g, u).data())
                .containsExactly(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void rope(int seed) {
        Random r = new Random(seed);
        int heads = 2;
        int headDim = 6;
        int seq = 5;
        Tensor x = GradientCheck.parameter(r, 2 * seq, heads * headDim);
        RopeAngles angles = RopeAngles.of(10000f, headDim, 8);
        GradientCheck.check(r, List.of(x), t -> Rope.interleaved(t, x, seq, heads, angles));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void causalSelfAttention(int seed) {
        Random r = new Random(seed);
        int batch = 2;
        int seq = 1 + r.nextInt(7);
        int heads = 1 + r.nextInt(3);
        int headDim = 1 + r.nextInt(20);
        int w = heads * headDim;
        Tensor q = GradientCheck.parameter(r, batch * seq, w);
        Tensor k = GradientCheck.parameter(r, batch * seq, w);
        Tensor v = GradientCheck.parameter(r, batch * seq, w);
        GradientCheck.check(r, List.of(q, k, v), t -> CausalSelfAttention.apply(t, q, k, v, batch, seq, heads));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void crossEntropy(int seed) {
        Random r = new Random(seed);
        int rows = 1 + r.nextInt(6);
        int vocab = 2 + r.nextInt(40);
        Tensor logits = GradientCheck.parameter(r, rows, vocab);
        int[] targets = r.ints(rows, 0, vocab).toArray();
        GradientCheck.check(r, List.of(logits), t -> CrossEntropy.mean(t, logits, targets));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void softmax(int seed) {
        Random r = new Random(seed);
        Tensor x = GradientCheck.parameter(r, 3, 1 + r.nextInt(20));
        GradientCheck.check(r, List.of(x), t -> Softmax.lastDim(t, x));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void dropout(int seed) {
        Random r = new Random(seed);
        Tensor x = GradientCheck.parameter(r, 5, 8);
        GradientCheck.check(r, List.of(x), t -> Dropout.apply(t, x, 0.3f, 42L));
        Tensor y = Dropout.apply(new Tape(dev.seriatim.tensor.Parallel.serial()), x, 0.5f, 7L);
        long zeros = 0;
        for (float v : y.data()) {
            zeros += v == 0 ? 1 : 0;
        }
        assertThat(zeros).isBetween(5L, 35L);
    }
}
