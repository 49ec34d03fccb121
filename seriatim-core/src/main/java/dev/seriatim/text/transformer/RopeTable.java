package dev.seriatim.text.transformer;

/**
 * Cosines and sines of the rotary angles, one row per position: angle(pos, i) =
 * (pos / scale) * base^(-2i / ropeDim) / factor[i], for i < ropeDim / 2.
 *
 * <p>Rows are made as positions are first reached ({@link #covering}) rather than for the whole
 * context up front, as the KV cache they go with is: a 131,072-position Llama 3 context would
 * otherwise keep 36 MiB of table from the start. A table never changes; a longer one shares the
 * rows of the shorter, so readers need no lock.
 */
final class RopeTable {

    private final double[] freq;
    private final float scale;
    private final float[][] cos;
    private final float[][] sin;

    private RopeTable(double[] freq, float scale, float[][] cos, float[][] sin) {
        this.freq = freq;
        this.scale = scale;
        this.cos = cos;
        this.sin = sin;
    }

    /** A table of no rows yet for the model's rotary embedding (none for a model without one). */
    static RopeTable of(TransformerConfig c, float[] freqFactors) {
        if (c.rope() == Architecture.Rope.NONE) {
            return new RopeTable(new double[0], 1f, new float[0][], new float[0][]);
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
        return new RopeTable(freq, c.ropeScale(), new float[0][], new float[0][]);
    }

    /** Positions [0, positions()) have rows. */
    int positions() {
        return cos.length;
    }

    /** This table if it has rows for positions [0, positions), else one that does, sharing these rows. */
    RopeTable covering(int positions) {
        if (positions <= cos.length) {
            return this;
        }
        float[][] c = java.util.Arrays.copyOf(cos, positions);
        float[][] s = java.util.Arrays.copyOf(sin, positions);
        for (int p = cos.length; p < positions; p++) {
            c[p] = new float[freq.length];
            s[p] = new float[freq.length];
            double pos = p / (double) scale;
            for (int i = 0; i < freq.length; i++) {
                double angle = pos * freq[i];
                c[p][i] = (float) Math.cos(angle);
                s[p][i] = (float) Math.sin(angle);
            }
        }
        return new RopeTable(freq, scale, c, s);
    }

    float[] cos(int pos) {
        return cos[pos];
    }

    float[] sin(int pos) {
        return sin[pos];
    }
}
