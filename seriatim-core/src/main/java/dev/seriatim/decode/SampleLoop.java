package dev.seriatim.decode;

import dev.seriatim.core.CategoricalModel;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The sampling loop over one prefilled prompt: each {@link #next} draws one more continuation
 * (pick, check the stop conditions, emit, append, until one of them ends it); {@link #stream}
 * hands the same loop to the caller to pull piece by piece ({@link SampleStream}).
 *
 * <p>All samples share the one prefill done by the constructor: when the model can
 * {@linkplain CategoricalModel#truncate truncate} a state, that state is cut back to the prompt
 * before each sample (no copy at all); otherwise each sample continues from a copy of it.
 * {@link #continuing} starts from a state the caller prefilled instead.
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
        long start = System.nanoTime(); // the time limit includes the prefill
        checkContext(model, context, options, detokenizers);
        S state = model.newState();
        reserve(model, state, context.length, options);
        float[] logits = model.append(state, context, 0, context.length);
        this(model, state, context, logits, options, detokenizers, listener, start);
    }

    private SampleLoop(CategoricalModel<S> model, S base, int[] context, float[] firstLogits, GenerationOptions options,
                       Supplier<? extends Detokenizer> detokenizers, GenerationListener listener, long start) {
        Duration limit = options.stop().timeLimit();
        this.model = model;
        this.context = context.clone();
        this.options = options;
        this.detokenizers = detokenizers;
        this.listener = listener;
        this.deadline = limit == null ? Long.MAX_VALUE : start + limit.toNanos();
        this.base = base;
        // every sample starts from these logits, but the state's own array is overwritten
        this.first = firstLogits.clone();
        this.sampler = new TokenSampler(options.sampling());
        this.history = new TokenHistory(context);
    }

    /**
     * Samples continuing a state the caller has already prefilled, for callers that keep a
     * state across calls (a chat keeps its KV cache across turns and prefills only the new
     * turn). From here on everything is as if the constructor had prefilled {@code context}
     * itself: the same picks for the same seed, the penalties see the whole {@code context}
     * (it is the history, exactly as for a prompt), the same stop conditions and
     * log-probabilities. The loop takes the state over: each sample cuts it back to
     * {@code context} (or copies it when the model cannot truncate) and leaves it holding the
     * sample's tokens, except the last one, which is picked but never appended. The time
     * limit runs from this call.
     *
     * @param state  a state that has consumed exactly {@code context}
     * @param logits the state's next-token logits (copied)
     */
    public static <S> SampleLoop<S> continuing(CategoricalModel<S> model, S state, int[] context, float[] logits,
                                               GenerationOptions options, Supplier<? extends Detokenizer> detokenizers,
                                               GenerationListener listener) {
        long start = System.nanoTime();
        checkContext(model, context, options, detokenizers);
        if (model.length(state) != context.length) {
            throw new IllegalArgumentException("the state holds " + model.length(state) + " tokens but the context has "
                    + context.length);
        }
        if (logits.length < model.vocabSize()) {
            throw new IllegalArgumentException("logits of " + logits.length + " values for a vocabulary of "
                    + model.vocabSize());
        }
        reserve(model, state, context.length, options);
        return new SampleLoop<>(model, state, context, logits, options, detokenizers, listener, start);
    }

    /** The longest a sample can make the state: the context and every new token but the last, which is never appended. */
    private static <S> void reserve(CategoricalModel<S> model, S state, int contextLength, GenerationOptions options) {
        long longest = (long) contextLength + Math.max(0, options.stop().maxTokens() - 1);
        model.reserve(state, (int) Math.min(model.maxLength(), longest));
    }

    private static void checkContext(CategoricalModel<?> model, int[] context, GenerationOptions options,
                                     Supplier<? extends Detokenizer> detokenizers) {
        if (context.length == 0) {
            throw new IllegalArgumentException("generation needs at least one context token");
        }
        if (context.length >= model.maxLength()) {
            throw new IllegalArgumentException("prompt of " + context.length + " tokens leaves no room in the context of "
                    + model.maxLength());
        }
        if (detokenizers == null && !options.stop().stopStrings().isEmpty()) {
            throw new IllegalArgumentException("stop strings need a detokenizer");
        }
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
