package dev.seriatim.decode;

/**
 * Min-p: keeps the candidates whose probability is at least {@code minP} times the largest
 * probability, {@code p_i >= minP * p_max}, which is {@code logit_i >= logit_max + ln(minP)}
 * (softmax of the current logits); if fewer than {@code minKeep} pass, the {@code minKeep}
 * most likely. The same rule as llama.cpp and Hugging Face. {@code minP = 0} is off.
 */
public final class MinPFilter implements LogitProcessor {

    private final float minP;
    private final int minKeep;

    public MinPFilter(float minP, int minKeep) {
        if (!(minP >= 0 && minP <= 1)) {
            throw new IllegalArgumentException("min-p must be in [0, 1] (0 = off), got " + minP);
        }
        this.minP = minP;
        this.minKeep = minKeep;
    }

    @Override
    public void apply(Candidates candidates, TokenHistory history) {
        if (minP <= 0f) {
            return;
        }
        double threshold = candidates.maxLogit() + Math.log(minP);
        candidates.retainAtLeast(threshold, minKeep);
    }
}
