package dev.seriatim.decode;

import java.util.Random;

/**
 * Picks the next token: runs the processor chain over the logits, then either takes the most
 * likely remaining candidate (greedy; ties to the lowest id) or draws one from the softmax of
 * the remaining logits with a seeded {@link Random} (multinomial, by inverting the cumulative
 * distribution in candidate order). The same seed and the same logits give the same tokens
 * (the seed is scrambled first, see {@link #mix}).
 * Scratch space is allocated once per vocabulary size. Not thread-safe.
 */
public final class TokenSampler {

    private static final TokenHistory NO_HISTORY = new TokenHistory(new int[0]);

    private final LogitProcessor chain;
    private final boolean greedy;
    private final Random random;
    private Candidates candidates;

    public TokenSampler(SamplingParams params) {
        this(ProcessorChain.of(params), params.greedy(), params.seed());
    }

    /** A sampler over any chain; {@code greedy} picks the best remaining candidate instead of drawing. */
    public TokenSampler(LogitProcessor chain, boolean greedy, long seed) {
        this.chain = chain;
        this.greedy = greedy;
        this.random = new Random(mix(seed));
    }

    /** Restarts the random sequence (each of several samples gets its own seed). */
    public void reseed(long seed) {
        random.setSeed(mix(seed));
    }

    /**
     * Scrambles a seed (the SplitMix64 finaliser) before it reaches {@link Random}: Random's
     * first draws from nearby seeds such as 11, 12, 13 are nearly equal, which would make the
     * first token of consecutive samples (seed + i) almost always the same.
     */
    static long mix(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Picks from {@code logits[0 .. n)} with no history (penalties have nothing to see). */
    public int sample(float[] logits, int n) {
        return sample(logits, n, NO_HISTORY);
    }

    /** Picks from {@code logits[0 .. n)} for the next token of {@code history}; the logits are not modified. */
    public int sample(float[] logits, int n, TokenHistory history) {
        if (greedy && chain instanceof ProcessorChain pc && pc.isEmpty()) {
            // plain greedy: nothing to process, so skip copying the vocabulary into candidates
            return argmaxChecked(logits, n);
        }
        Candidates c = candidates(n);
        c.reset(logits, n);
        chain.apply(c, history);
        return greedy ? pickGreedy(c) : pickRandom(c, random);
    }

    /**
     * The candidates as the chain left them after the last {@link #sample} (for inspection);
     * plain greedy decoding (nothing to process) does not use them.
     */
    public Candidates lastCandidates() {
        return candidates;
    }

    private Candidates candidates(int n) {
        if (candidates == null || candidates.capacity() != n) {
            candidates = new Candidates(n);
        }
        return candidates;
    }

    /** The candidate with the highest logit, the lowest id among ties. */
    public static int pickGreedy(Candidates c) {
        int best = -1;
        float bestLogit = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < c.size(); i++) {
            float l = c.logit(i);
            // candidates need not be in id order (a filter may have reordered them)
            if (l > bestLogit || l == bestLogit && best >= 0 && c.id(i) < c.id(best)) {
                best = i;
                bestLogit = l;
            }
        }
        if (best < 0) {
            throw new IllegalStateException("no token can be picked: every candidate's logit is -infinity");
        }
        return c.id(best);
    }

    /** A draw from the softmax of the candidates' logits. */
    public static int pickRandom(Candidates c, Random random) {
        double[] probs = c.probabilities();
        double u = random.nextDouble();
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < c.size(); i++) {
            if (probs[i] > 0) {
                cumulative += probs[i];
                last = i;
                if (u < cumulative) {
                    return c.id(i);
                }
            }
        }
        // rounding left the total a hair below u: the last possible token
        return c.id(last);
    }

    private static int argmaxChecked(float[] logits, int n) {
        int best = 0;
        for (int i = 0; i < n; i++) {
            float l = logits[i];
            if (Float.isNaN(l) || l == Float.POSITIVE_INFINITY) {
                throw new IllegalStateException("the model produced a non-finite logit (" + l + ") for token " + i);
            }
            if (l > logits[best]) {
                best = i;
            }
        }
        if (logits[best] == Float.NEGATIVE_INFINITY) {
            throw new IllegalStateException("no token can be picked: every candidate's logit is -infinity");
        }
        return best;
    }

    /** Index of the largest logit, the lowest index among ties. */
    public static int argmax(float[] logits, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
