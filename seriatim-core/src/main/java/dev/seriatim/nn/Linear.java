package dev.seriatim.nn;

import dev.seriatim.autograd.MatMul;
import dev.seriatim.autograd.Tape;
import dev.seriatim.autograd.Tensor;

/** A bias-free linear layer y = x w^T, w of shape [out, in]. */
public record Linear(Parameter weight) {

    public Tensor apply(Tape tape, Tensor x) {
        return MatMul.linear(tape, x, weight.tensor());
    }
}
