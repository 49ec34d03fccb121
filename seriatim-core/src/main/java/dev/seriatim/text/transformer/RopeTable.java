package dev.seriatim.text.transformer;

/**
 * Cosines and sines of the rotary angles for every position: angle(pos, i) =
 * (pos / scale) * base^(-2i / ropeDim) / factor[i], for i < ropeDim / 2.
 */
record RopeTable(float[][] cos, float[][] sin) {

    static RopeTable of(TransformerConfig c, float[] freqFactors, int positions) {
        if (c.rope() == Architecture.Rope.NONE) {
            return new RopeTable(new float[0][], new float[0][]);
        }
        int half = c.ropeDim() / 2;
        if (freqFactors != null && freqFactors.length != half) {
            throw new UnsupportedModelException("rope_freqs has " + freqFactors.length + " values, expected " + half);
        }
        double[] freq = new double[half];
        for (int i = 0; i < half; i++) {
            freq[i] = Math.pow(c.ropeTheta(), -2.0 * i / c.ropeDim());
            if (freqFactors != null) {
                freq[i] /= freqFactors[i];
            }
        }
        float[][] cos = new float[positions][half];
        float[][] sin = new float[positions][half];
        for (int p = 0; p < positions; p++) {
            double pos = p / (double) c.ropeScale();
            for (int i = 0; i < half; i++) {
                double angle = pos * freq[i];
                cos[p][i] = (float) Math.cos(angle);
                sin[p][i] = (float) Math.sin(angle);
            }
        }
        return new RopeTable(cos, sin);
    }
}
