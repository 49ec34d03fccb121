package dev.seriatim.autograd;

import dev.seriatim.tensor.Parallel;
import java.util.ArrayList;
import java.util.List;

/**
 * Reverse-mode automatic differentiation: every op that produces a tensor with a gradient
 * records how to push its output's gradient back to its inputs; {@link #backward} runs those
 * steps newest first, which is a valid reverse topological order because an op's inputs always
 * exist before it is recorded. A tape is used for one forward and one backward pass.
 */
public final class Tape {

    private final List<Runnable> steps = new ArrayList<>();
    private final Parallel parallel;
    private final boolean recording;

    /** @param parallel the threads that matrix products and attention split their work across */
    public Tape(Parallel parallel) {
        this(parallel, true);
    }

    private Tape(Parallel parallel, boolean recording) {
        this.parallel = parallel;
        this.recording = recording;
    }

    /**
     * A tape for evaluation: ops compute their outputs but no gradients, record nothing and
     * keep nothing for a backward pass (torch.no_grad).
     */
    public static Tape withoutGradients(Parallel parallel) {
        return new Tape(parallel, false);
    }

    public Parallel parallel() {
        return parallel;
    }

    /** Records the backward step of an op whose output needs a gradient. */
    void record(Runnable backward) {
        steps.add(backward);
    }

    /** Number of recorded steps (for tests). */
    public int size() {
        return steps.size();
    }

    /**
     * Adds d(loss)/d(t) into the gradient of every tensor t on the tape that has one; loss must
     * hold one value. The tape is empty afterwards.
     */
    public void backward(Tensor loss) {
        if (loss.size() != 1 || !loss.requiresGrad()) {
            throw new IllegalArgumentException("backward needs a one-element tensor with a gradient, got " + loss);
        }
        loss.grad()[0] += 1f;
        for (int i = steps.size() - 1; i >= 0; i--) {
            steps.get(i).run();
        }
        steps.clear();
    }

    /** Forgets the recorded steps without running them (an evaluation-only forward). */
    public void clear() {
        steps.clear();
    }

    /** Whether an op's output on this tape needs a gradient: recording, and some input has one. */
    boolean needsGrad(Tensor... ts) {
        if (!recording) {
            return false;
        }
        for (Tensor t : ts) {
            if (t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }
}
