package dev.seriatim.decode;

import dev.seriatim.core.CategoricalModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Sampling: {@code options.samples()} continuations of a prompt, drawn one after the other
 * from one prefill by a {@link SampleLoop}.
 */
public final class Generator {

    private Generator() {
    }

    /**
     * Generates {@code options.samples()} continuations of {@code context}.
     *
     * @param context      the tokens to condition on (at least one)
     * @param detokenizers a fresh detokenizer per sample, or null to produce tokens only (stop
     *                     strings then cannot be used)
     * @param listener     receives tokens and final text as they are produced
     */
    public static <S> List<Generation> generate(CategoricalModel<S> model, int[] context, GenerationOptions options,
                                                Supplier<? extends Detokenizer> detokenizers,
                                                GenerationListener listener) {
        SampleLoop<S> loop = new SampleLoop<>(model, context, options, detokenizers, listener);
        List<Generation> results = new ArrayList<>(options.samples());
        for (int i = 0; i < options.samples(); i++) {
            results.add(loop.next());
        }
        return results;
    }

    /** One sample, tokens only, no listener. */
    public static <S> Generation generate(CategoricalModel<S> model, int[] context, SamplingParams sampling,
                                          StopConditions stop) {
        return generate(model, context, GenerationOptions.of(sampling, stop), null, GenerationListener.NONE).getFirst();
    }
}
