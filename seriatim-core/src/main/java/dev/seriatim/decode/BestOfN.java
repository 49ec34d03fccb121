package dev.seriatim.decode;

import dev.seriatim.core.CategoricalModel;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Best-of-n: draw {@code options.samples()} continuations from one prefill and keep the one a
 * scorer rates highest (the first among equals). The default scorer is the model's own mean
 * log-probability per generated token ({@link #meanLogprob}).
 */
public final class BestOfN {

    private BestOfN() {
    }

    /**
     * @param best  the highest-scoring continuation
     * @param index its position among {@code all}
     * @param score its score
     * @param all    every continuation drawn, in order
     * @param scores the score of each of {@code all}
     */
    public record Result(Generation best, int index, double score, List<Generation> all, double[] scores) {

        public Result {
            all = List.copyOf(all);
            scores = scores.clone();
        }

        /** Positions in {@code all} of the {@code n} best, best first (earlier first among equals). */
        public int[] ranking(int n) {
            return java.util.stream.IntStream.range(0, all.size()).boxed()
                    .sorted((a, b) -> Double.compare(scores[b], scores[a]))
                    .limit(n).mapToInt(Integer::intValue).toArray();
        }
    }

    /**
     * Mean log-probability of the generated tokens under the model, before any processing;
     * needs logprobs in the generation ({@code options.logprobs() >= 0}). An empty continuation
     * scores -infinity (there is nothing to rate).
     */
    public static double meanLogprob(Generation g) {
        if (g.tokens().length > 0 && g.logprobs().size() != g.tokens().length) {
            throw new IllegalArgumentException("the mean log-probability needs logprobs: generate with logprobs >= 0");
        }
        return g.logprobs().isEmpty() ? Double.NEGATIVE_INFINITY : g.sumLogprob() / g.logprobs().size();
    }

    /** Best by {@link #meanLogprob}; log-probabilities are switched on if they were off. */
    public static <S> Result pick(CategoricalModel<S> model, int[] context, GenerationOptions options,
                                  Supplier<? extends Detokenizer> detokenizers, GenerationListener listener) {
        GenerationOptions withLogprobs = options.logprobs() >= 0 ? options
                : new GenerationOptions(options.sampling(), options.stop(), options.samples(), 0);
        return pick(model, context, withLogprobs, detokenizers, BestOfN::meanLogprob, listener);
    }

    public static <S> Result pick(CategoricalModel<S> model, int[] context, GenerationOptions options,
                                  Supplier<? extends Detokenizer> detokenizers, ToDoubleFunction<Generation> scorer,
                                  GenerationListener listener) {
        List<Generation> all = Generator.generate(model, context, options, detokenizers, listener);
        double[] scores = new double[all.size()];
        int best = 0;
        for (int i = 0; i < all.size(); i++) {
            scores[i] = scorer.applyAsDouble(all.get(i));
            if (scores[i] > scores[best] || Double.isNaN(scores[best]) && !Double.isNaN(scores[i])) {
                best = i;
            }
        }
        return new Result(all.get(best), best, scores[best], all, scores);
    }
}
