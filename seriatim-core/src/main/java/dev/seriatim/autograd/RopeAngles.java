package dev.seriatim.autograd;

/**
 * Cosines and sines of the rotary angles, angle(pos, i) = pos * base^(-2i / headDim) for
 * i < headDim / 2: the same formula, in the same precision, as the inference engine's table, so
 * a trained model sees the same rotations when it is loaded for inference.
 */
public record RopeAngles(float[][] cos, float[][] sin, float[][] negatedSin) {

    public static RopeAngles of(float base, int headDim, int positions) {
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("rotary head size must be even, got " + headDim);
        }
        int half = headDim / 2;
        float[][] cos = new float[positions][half];
        float[][] sin = new float[positions][half];
        float[][] negated = new float[positions][half];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < half; i++) {
                double angle = p * Math.pow(base, -2.0 * i / headDim);
                cos[p][i] = (float) Math.cos(angle);
                sin[p][i] = (float) Math.sin(angle);
                negated[p][i] = -sin[p][i];
            }
        }
        return new RopeAngles(cos, sin, negated);
    }

    public int positions() {
        return cos.length;
    }
}
