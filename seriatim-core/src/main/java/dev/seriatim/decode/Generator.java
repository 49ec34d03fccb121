package dev.seriatim.decode;

import dev.seriatim.core.CategoricalModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The sampling loop: prefill the context once, then for each sample pick, check the stop
 * conditions, emit and append until one of them ends it.
 *
 * <p>Several samples share the prefill: when the model can {@linkplain CategoricalModel#truncate
 * truncate} a state, one state is cut back to the prompt between samples (no copy at all);
 * otherwise each sample continues from a copy of the prefilled state.
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
        long deadline = stop.timeLimit() == null ? Long.MAX_VALUE : System.nanoTime() + stop.timeLimit().toNanos();
        S base = model.newState();
        // the prefill logits are read by every sample, but the state's array is overwritten
        float[] first = model.append(base, context, 0, context.length).clone();
        TokenSampler sampler = new TokenSampler(options.sampling());
        TokenHistory history = new TokenHistory(context);
        List<Generation> results = new ArrayList<>(options.samples());
        for (int i = 0; i < options.samples(); i++) {
            S state;
            if (model.canTruncate()) {
                model.truncate(base, context.length);
                state = base;
            } else {
                state = i == options.samples() - 1 ? base : model.copyState(base);
            }
            history.truncateToPrompt();
            sampler.reseed(options.sampling().seed() + i);
            Generation g = one(model, state, first, i, options, sampler, history,
                    detokenizers == null ? null : detokenizers.get(), listener, deadline);
            listener.onFinish(i, g);
            results.add(g);
        }
        return results;
    }

    /** One sample, tokens only, no listener. */
    public static <S> Generation generate(CategoricalModel<S> model, int[] context, SamplingParams sampling,
                                          StopConditions stop) {
        return generate(model, context, GenerationOptions.of(sampling, stop), null, GenerationListener.NONE).getFirst();
    }

    private static <S> Generation one(CategoricalModel<S> model, S state, float[] logits, int sample,
                                      GenerationOptions options, TokenSampler sampler, TokenHistory history,
                                      Detokenizer detokenizer, GenerationListener listener, long deadline) {
        StopConditions stop = options.stop();
        int vocab = model.vocabSize();
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
                emit(matcher.push(detokenizer.push(token)), text, sample, listener);
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
            emit(matcher.push(detokenizer.flush()), text, sample, listener);
            if (matcher.stopped()) {
                reason = FinishReason.STOP;
            } else {
                emit(matcher.finish(), text, sample, listener);
            }
        }
        return new Generation(Arrays.copyOf(out, produced), text == null ? null : text.toString(), reason, logprobs);
    }

    private static void emit(String piece, StringBuilder text, int sample, GenerationListener listener) {
        if (!piece.isEmpty()) {
            text.append(piece);
            listener.onText(sample, piece);
        }
    }
}
