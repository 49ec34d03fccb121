package dev.seriatim.decode;

import dev.seriatim.core.CategoricalModel;
import java.util.function.Supplier;

/**
 * The sampling loop over one prefilled prompt: each {@link #next} draws one more continuation
 * (pick, check the stop conditions, emit, append, until one of them ends it); {@link #stream}
 * hands the same loop to the caller to pull piece by piece ({@link SampleStream}).
 *
 * <p>All samples share the one prefill done by the constructor: when the model can
 * {@linkplain CategoricalModel#truncate truncate} a state, that state is cut back to the prompt
 * before each sample (no copy at all); otherwise each sample continues from a copy of it.
 * Sample {@code i} (counting from 0) uses seed {@code options.sampling().seed() + i}, so it is
 * the same whether it is drawn alone or among many. The time limit runs from construction.
 */
public final class SampleLoop<S> {

    private final CategoricalModel<S> model;
    private final int[] context;
    private final GenerationOptions options;
    private final Supplier<? extends Detokenizer> detokenizers;
    private final GenerationListener listener;
    private final long deadline;
    private final S base;
    private final float[] first;
    private final TokenSampler sampler;
    private final TokenHistory history;
    private int index;
    private SampleStream<S> current;

    /**
     * Prefills {@code context}.
     *
     * @param detokenizers a fresh detokenizer per sample, or null to produce tokens only (stop
     *                     strings then cannot be used)
     */
    public SampleLoop(CategoricalModel<S> model, int[] context, GenerationOptions options,
                      Supplier<? extends Detokenizer> detokenizers, GenerationListener listener) {
        if (context.length == 0) {
            throw new IllegalArgumentException("generation needs at least one context token");
        }
        if (context.length >= model.maxLength()) {
            throw new IllegalArgumentException("prompt of " + context.length + " tokens leaves no room in the context of "
                    + model.maxLength());
        }
        StopConditions stop = options.stop();
        if (detokenizers == null && !stop.stopStrings().isEmpty()) {
            throw new IllegalArgumentException("stop strings need a detokenizer");
        }
        this.model = model;
        this.context = context.clone();
        this.options = options;
        this.detokenizers = detokenizers;
        this.listener = listener;
        this.deadline = stop.timeLimit() == null ? Long.MAX_VALUE : System.nanoTime() + stop.timeLimit().toNanos();
        this.base = model.newState();
        // every sample starts from these logits, but the state's own array is overwritten
        this.first = model.append(base, context, 0, context.length).clone();
        this.sampler = new TokenSampler(options.sampling());
        this.history = new TokenHistory(context);
    }

    /** How many samples have been drawn. */
    public int drawn() {
        return index;
    }

    /** Draws the next sample. */
    public Generation next() {
        return stream().finish();
    }

    /**
     * Starts the next sample without generating anything yet: the caller pulls it token by
     * token or piece by piece. The previous stream must have finished.
     */
    public SampleStream<S> stream() {
        if (current != null) {
            throw new IllegalStateException("sample " + current.sample() + " has not finished; finish it first");
        }
        S state;
        if (model.canTruncate()) {
            model.truncate(base, context.length);
            state = base;
        } else {
            state = model.copyState(base);
        }
        history.truncateToPrompt();
        int sample = index++;
        sampler.reseed(options.sampling().seed() + sample);
        current = new SampleStream<>(this, model, state, sample, first, options, sampler, history,
                detokenizers == null ? null : detokenizers.get(), listener, deadline);
        return current;
    }

    void checkCurrent(SampleStream<S> stream) {
        if (stream != current) {
            throw new IllegalStateException("sample " + stream.sample() + " is no longer the loop's current sample");
        }
    }

    void finished(SampleStream<S> stream) {
        if (stream == current) {
            current = null;
        }
    }
}
