package dev.seriatim.decode;

import dev.seriatim.core.CategoricalModel;
import java.util.Arrays;
import java.util.Random;

/**
 * A hand-made model with known probabilities: the next-token logits depend only on the last
 * token, {@code table[last]}. Counts its calls so tests can check the prefill is shared.
 */
final class TableModel implements CategoricalModel<TableModel.State> {

    static final class State {
        int[] tokens = new int[0];
        int length;
        final float[] logits;

        State(int vocab) {
            logits = new float[vocab];
        }
    }

    final float[][] table;
    final int maxLength;
    final boolean truncatable;
    int prefills;
    int copies;
    State lastState;
    /** The largest {@link #reserve} asked for, and the longest any state got. */
    int reserved;
    int longest;

    TableModel(float[][] table, int maxLength, boolean truncatable) {
        this.table = table;
        this.maxLength = maxLength;
        this.truncatable = truncatable;
    }

    /** Random logits, N(0, scale^2), for a vocabulary of {@code vocab}. */
    static TableModel random(int vocab, long seed, double scale, int maxLength, boolean truncatable) {
        Random r = new Random(seed);
        float[][] t = new float[vocab][vocab];
        for (float[] row : t) {
            for (int j = 0; j < vocab; j++) {
                row[j] = (float) (r.nextGaussian() * scale);
            }
        }
        return new TableModel(t, maxLength, truncatable);
    }

    @Override
    public int vocabSize() {
        return table.length;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public State newState() {
        return new State(table.length);
    }

    @Override
    public State copyState(State s) {
        copies++;
        State c = new State(table.length);
        c.tokens = s.tokens.clone();
        c.length = s.length;
        System.arraycopy(s.logits, 0, c.logits, 0, s.logits.length);
        return c;
    }

    @Override
    public void reset(State s) {
        s.length = 0;
    }

    @Override
    public boolean canTruncate() {
        return truncatable;
    }

    @Override
    public void truncate(State s, int length) {
        if (!truncatable) {
            throw new UnsupportedOperationException();
        }
        s.length = length;
    }

    @Override
    public int length(State s) {
        return s.length;
    }

    @Override
    public void reserve(State s, int length) {
        reserved = Math.max(reserved, length);
    }

    @Override
    public float[] append(State s, int[] tokens, int from, int count) {
        if (count > 1) {
            prefills++;
        }
        lastState = s;
        if (s.length + count > maxLength) {
            throw new IllegalStateException("context full");
        }
        if (s.tokens.length < s.length + count) {
            s.tokens = Arrays.copyOf(s.tokens, Math.max(16, 2 * (s.length + count)));
        }
        System.arraycopy(tokens, from, s.tokens, s.length, count);
        s.length += count;
        longest = Math.max(longest, s.length);
        System.arraycopy(table[s.tokens[s.length - 1]], 0, s.logits, 0, table.length);
        return s.logits;
    }

    @Override
    public void appendScoring(State s, int[] tokens, int from, int count, LogitsSink sink) {
        for (int i = 0; i < count; i++) {
            float[] l = append(s, tokens, from + i, 1);
            sink.accept(from + i, l, 0);
        }
    }

    /** log p(next | last) under the table. */
    double logprob(int last, int next) {
        return dev.seriatim.core.LogSoftmax.logProbability(table[last], 0, table.length, next);
    }
}
