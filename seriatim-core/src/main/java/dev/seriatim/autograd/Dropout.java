package dev.seriatim.autograd;

import java.util.SplittableRandom;

/**
 * Inverted dropout: each element is zeroed with probability p and the survivors scaled by
 * 1 / (1 - p), so evaluation needs no rescaling. The mask comes from the given seed, so a run
 * repeats exactly.
 */
public final class Dropout {

    private Dropout() {}

    public static Tensor apply(Tape tape, Tensor x, float p, long seed) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        if (p == 0) {
            return x;
        }
        SplittableRandom random = new SplittableRandom(seed);
        float keep = 1 / (1 - p);
        float[] mask = new float[x.size()];
        float[] y = new float[x.size()];
        for (int i = 0; i < y.length; i++) {
            mask[i] = random.nextDouble() < p ? 0f : keep;
            y[i] = x.data()[i] * mask[i];
        }
        Tensor result = Tensor.result(y, tape.needsGrad(x), x.shape());
        if (result.requiresGrad()) {
            tape.record(() -> {
                for (int i = 0; i < y.length; i++) {
                    x.grad()[i] += result.grad()[i] * mask[i];
                }
            });
        }
        return result;
    }
}
