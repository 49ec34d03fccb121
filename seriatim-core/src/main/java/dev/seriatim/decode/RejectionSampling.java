package dev.seriatim.decode;

import dev.seriatim.core.CategoricalModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Rejection sampling: draw continuations of one prefilled prompt until one is accepted by a
 * predicate, or {@code maxTries} have been drawn. Draw {@code i} is sample {@code i} of a
 * {@link SampleLoop} (seed + i), so a run is reproducible. The samples setting of the options
 * is ignored.
 */
public final class RejectionSampling {

    private RejectionSampling() {
    }

    /**
     * @param accepted the accepted continuation, or null when every try was rejected
     * @param attempts every continuation drawn, in order (the accepted one last)
     */
    public record Result(Generation accepted, List<Generation> attempts) {

        public Result {
            attempts = List.copyOf(attempts);
        }

        public boolean succeeded() {
            return accepted != null;
        }

        public int tries() {
            return attempts.size();
        }
    }

    public static <S> Result sample(CategoricalModel<S> model, int[] context, GenerationOptions options,
                                    Supplier<? extends Detokenizer> detokenizers, Predicate<Generation> accept,
                                    int maxTries, GenerationListener listener) {
        if (maxTries < 1) {
            throw new IllegalArgumentException("max tries must be >= 1, got " + maxTries);
        }
        SampleLoop<S> loop = new SampleLoop<>(model, context, options, detokenizers, listener);
        List<Generation> attempts = new ArrayList<>();
        for (int i = 0; i < maxTries; i++) {
            Generation g = loop.next();
            attempts.add(g);
            if (accept.test(g)) {
                return new Result(g, attempts);
            }
        }
        return new Result(null, attempts);
    }

    /** Accepts a continuation whose score is at least {@code threshold}. */
    public static Predicate<Generation> scoreAtLeast(ToDoubleFunction<Generation> scorer, double threshold) {
        return g -> scorer.applyAsDouble(g) >= threshold;
    }
}
