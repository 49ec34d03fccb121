package dev.seriatim.nn;

import java.util.SplittableRandom;

/**
 * Initial values as GPT-2 and nanoGPT set them: matrices from N(0, 0.02^2), the projections
 * that write into the residual stream scaled by 1/sqrt(2 * layers) so the stream's variance
 * does not grow with depth, norm scales 1.
 */
public final class Init {

    public static final double STD = 0.02;

    private Init() {}

    public static float[] normal(SplittableRandom random, int n, double std) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextGaussian() * std);
        }
        return a;
    }

    public static double residualStd(int layers) {
        return STD / Math.sqrt(2.0 * layers);
    }

    public static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }
}
