package dev.seriatim.decode;

import dev.seriatim.core.CategoricalModel;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The one generation loop: prefill the context, then pick, check stop, append, emit, until an
 * end token, the token budget or the model's context ends it.
 */
public final class Generator {

    private Generator() {
    }

    /**
     * @param context   the tokens to condition on (at least one)
     * @param stopIds   tokens that end generation; they are not emitted
     * @param maxTokens most tokens to produce
     * @param onToken   receives every emitted token as soon as it is picked
     */
    public static <S> Generation generate(CategoricalModel<S> model, int[] context, TokenSampler sampler,
                                          int[] stopIds, int maxTokens, IntConsumer onToken) {
        if (context.length == 0) {
            throw new IllegalArgumentException("generation needs at least one context token");
        }
        if (maxTokens < 0) {
            throw new IllegalArgumentException("max tokens must be >= 0, got " + maxTokens);
        }
        S state = model.newState();
        if (context.length >= model.maxLength()) {
            throw new IllegalArgumentException("prompt of " + context.length + " tokens leaves no room in the context of "
                    + model.maxLength());
        }
        float[] logits = model.append(state, context, 0, context.length);
        // the last token needs no room in the cache: it is emitted but never appended
        int[] out = new int[Math.min(maxTokens, model.maxLength() - context.length + 1)];
        int[] one = new int[1];
        int produced = 0;
        FinishReason reason = FinishReason.LENGTH;
        while (produced < maxTokens) {
            int token = sampler.sample(logits, model.vocabSize());
            if (contains(stopIds, token)) {
                reason = FinishReason.STOP;
                break;
            }
            out[produced++] = token;
            onToken.accept(token);
            if (produced == maxTokens || model.length(state) >= model.maxLength()) {
                break;
            }
            one[0] = token;
            logits = model.append(state, one, 0, 1);
        }
        return new Generation(Arrays.copyOf(out, produced), reason);
    }

    private static boolean contains(int[] ids, int id) {
        for (int x : ids) {
            if (x == id) {
                return true;
            }
        }
        return false;
    }
}
