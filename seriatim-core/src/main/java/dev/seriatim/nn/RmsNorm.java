package dev.seriatim.nn;

import dev.seriatim.autograd.Normalization;
import dev.seriatim.autograd.Tape;
import dev.seriatim.autograd.Tensor;

/** RMSNorm with a learned scale. */
public record RmsNorm(Parameter scale, float eps) {

    public Tensor apply(Tape tape, Tensor x) {
        return Normalization.rmsNorm(tape, x, scale.tensor(), eps);
    }
}
