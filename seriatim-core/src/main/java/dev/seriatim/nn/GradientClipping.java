package dev.seriatim.nn;

import java.util.List;

/** Clipping by global norm: if the L2 norm of all gradients together exceeds max, scale them all down to max. */
public final class GradientClipping {

    private GradientClipping() {}

    /** Clips in place and returns the norm before clipping; max <= 0 only measures. */
    public static double clipGlobalNorm(List<Parameter> parameters, double max) {
        double sumSquares = 0;
        for (Parameter p : parameters) {
            for (float g : p.tensor().grad()) {
                sumSquares += (double) g * g;
            }
        }
        double norm = Math.sqrt(sumSquares);
        if (max > 0 && norm > max) {
            float factor = (float) (max / (norm + 1e-6));
            for (Parameter p : parameters) {
                float[] g = p.tensor().grad();
                for (int i = 0; i < g.length; i++) {
                    g[i] *= factor;
                }
            }
        }
        return norm;
    }
}
