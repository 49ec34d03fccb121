package dev.seriatim.nn;

import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as torch.optim.AdamW computes it:
 * p -= lr * wd * p; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps). The moments are exposed so that a
 * checkpoint can save and restore them exactly.
 */
public final class AdamW {

    /** Hyperparameters; nanoGPT's defaults are beta1 0.9, beta2 0.95, eps 1e-8, decay 0.1. */
    public record Settings(float beta1, float beta2, float eps, float weightDecay) {
        public static Settings nanoGpt() {
            return new Settings(0.9f, 0.95f, 1e-8f, 0.1f);
        }
    }

    private final List<Parameter> parameters;
    private final Settings settings;
    private final float[][] m;
    private final float[][] v;
    private long step;

    public AdamW(List<Parameter> parameters, Settings settings) {
        this.parameters = List.copyOf(parameters);
        this.settings = settings;
        this.m = new float[parameters.size()][];
        this.v = new float[parameters.size()][];
        for (int i = 0; i < parameters.size(); i++) {
            m[i] = new float[parameters.get(i).tensor().size()];
            v[i] = new float[parameters.get(i).tensor().size()];
        }
    }

    /** One update with learning rate lr from the gradients now held by the parameters. */
    public void step(float lr) {
        step++;
        double correction1 = 1 - Math.pow(settings.beta1(), step);
        double correction2 = 1 - Math.pow(settings.beta2(), step);
        float b1 = settings.beta1();
        float b2 = settings.beta2();
        for (int k = 0; k < parameters.size(); k++) {
            Parameter p = parameters.get(k);
            float[] w = p.tensor().data();
            float[] g = p.tensor().grad();
            float[] mk = m[k];
            float[] vk = v[k];
            float decay = p.decayed() ? 1 - lr * settings.weightDecay() : 1f;
            float stepSize = (float) (lr / correction1);
            float root2 = (float) Math.sqrt(correction2);
            for (int i = 0; i < w.length; i++) {
                mk[i] = b1 * mk[i] + (1 - b1) * g[i];
                vk[i] = b2 * vk[i] + (1 - b2) * g[i] * g[i];
                float denominator = (float) Math.sqrt(vk[i]) / root2 + settings.eps();
                w[i] = w[i] * decay - stepSize * mk[i] / denominator;
            }
        }
    }

    /** Updates taken so far (the t of the bias correction). */
    public long steps() {
        return step;
    }

    /** First moments, one array per parameter in order; live, for checkpoints. */
    public float[][] firstMoments() {
        return m;
    }

    /** Second moments, one array per parameter in order; live, for checkpoints. */
    public float[][] secondMoments() {
        return v;
    }

    /** Restores the step count after the moments have been written into the live arrays. */
    public void restoreSteps(long steps) {
        this.step = steps;
    }

    public List<Parameter> parameters() {
        return parameters;
    }
}
