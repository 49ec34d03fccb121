package dev.seriatim.decode;

import dev.seriatim.core.CategoricalModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The sampling loop over one prefilled prompt: each {@link #next} draws one more continuation
 * (pick, check the stop conditions, emit, append, until one of them ends it).
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
        Generation g = one(state, sample, detokenizers == null ? null : detokenizers.get());
        listener.onFinish(sample, g);
        return g;
    }

    private Generation one(S state, int sample, Detokenizer detokenizer) {
        StopConditions stop = options.stop();
        int vocab = model.vocabSize();
        float[] logits = first;
        StopStringMatcher matcher = detokenizer == null ? null : new StopStringMatcher(stop.stopStrings());
        StringBuilder text = detokenizer == null ? null : new StringBuilder();
        List<TokenLogprob> logprobs = new ArrayList<>();
        int[] out = new int[Math.min(stop.maxTokens(), 1024)];
        int[] one = new int[1];
        int produced = 0;
        FinishReason reason = FinishReason.LENGTH;
        while (produced < stop.maxTokens()) {
            if (System.nanoTime() - deadline >= 0) {
                reason = FinishReason.TIME_LIMIT;
                break;
            }
            int token = sampler.sample(logits, vocab, history);
            if (stop.isStopToken(token)) {
                reason = FinishReason.STOP;
                break;
            }
            if (produced == out.length) {
                out = Arrays.copyOf(out, Math.min(stop.maxTokens(), out.length * 2));
            }
            out[produced++] = token;
            history.add(token);
            TokenLogprob lp = options.logprobs() < 0 ? null : TokenLogprob.of(logits, vocab, token, options.logprobs());
            if (lp != null) {
                logprobs.add(lp);
            }
            listener.onToken(sample, token, lp);
            if (detokenizer != null) {
                emit(matcher.push(detokenizer.push(token)), text, sample);
                if (matcher.stopped()) {
                    reason = FinishReason.STOP;
                    break;
                }
            }
            // the last token needs no room in the state: it is emitted but never appended
            if (produced == stop.maxTokens() || model.length(state) >= model.maxLength()) {
                break;
            }
            one[0] = token;
            logits = model.append(state, one, 0, 1);
        }
        if (detokenizer != null) {
            emit(matcher.push(detokenizer.flush()), text, sample);
            if (matcher.stopped()) {
                reason = FinishReason.STOP;
            } else {
                emit(matcher.finish(), text, sample);
            }
        }
        return new Generation(Arrays.copyOf(out, produced), text == null ? null : text.toString(), reason, logprobs);
    }

    private void emit(String piece, StringBuilder text, int sample) {
        if (!piece.isEmpty()) {
            text.append(piece);
            listener.onText(sample, piece);
        }
    }
}
