package dev.seriatim.decode;

import java.util.Map;

/**
 * Adds a fixed bias to the logit of chosen tokens: {@code logit[id] := logit[id] + bias[id]}.
 * A bias of {@code -infinity} bans the token (it can never be picked); {@code +infinity} is
 * refused (it would make the distribution undefined). As in the OpenAI API the bias is added
 * to the logit, before any filter.
 */
public final class LogitBias implements LogitProcessor {

    private final float[] bias;

    /** @param bias token id to bias; ids must be >= 0 (checked against the vocabulary when applied) */
    public LogitBias(Map<Integer, Float> bias) {
        int max = -1;
        for (Map.Entry<Integer, Float> e : bias.entrySet()) {
            int id = e.getKey();
            float b = e.getValue();
            if (id < 0) {
                throw new IllegalArgumentException("logit bias: token id must be >= 0, got " + id);
            }
            if (Float.isNaN(b) || b == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("logit bias for token " + id + " must be a number or -inf, got " + b);
            }
            max = Math.max(max, id);
        }
        // dense by id: applying it is one pass over the candidates with no hashing or boxing
        this.bias = new float[max + 1];
        bias.forEach((id, b) -> this.bias[id] = b);
    }

    /** Bans the tokens: they get logit -infinity. */
    public static LogitBias banning(int... ids) {
        Map<Integer, Float> m = new java.util.HashMap<>();
        for (int id : ids) {
            m.put(id, Float.NEGATIVE_INFINITY);
        }
        return new LogitBias(m);
    }

    @Override
    public void apply(Candidates candidates, TokenHistory history) {
        if (bias.length == 0) {
            return;
        }
        if (bias.length > candidates.capacity()) {
            throw new IllegalArgumentException("logit bias names token " + (bias.length - 1)
                    + ", outside the vocabulary of " + candidates.capacity() + " tokens");
        }
        for (int i = 0; i < candidates.size(); i++) {
            int id = candidates.id(i);
            if (id < bias.length && bias[id] != 0f) {
                candidates.setLogit(i, candidates.logit(i) + bias[id]);
            }
        }
    }
}
