package dev.seriatim.decode;

/**
 * The basic sampling settings.
 *
 * @param temperature logits are divided by it before sampling; 0 means greedy (argmax)
 * @param topK        keep the k most likely tokens (ties at the k-th logit are cut by id); 0 = off
 * @param topP        keep the smallest most-likely set whose probability reaches p, including the
 *                    token that crosses it; 1 = off
 * @param seed        seed of the random generator: the same seed gives the same picks
 */
public record SamplingParams(float temperature, int topK, float topP, long seed) {

    public static final SamplingParams GREEDY = new SamplingParams(0f, 0, 1f, 0);

    public SamplingParams {
        if (!(temperature >= 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0 (0 = off), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1] (1 = off), got " + topP);
        }
    }

    public boolean greedy() {
        return temperature == 0f;
    }
}
