package dev.seriatim.nn;

/**
 * Linear warm-up from 0 to the peak over {@code warmup} steps, then cosine decay to {@code min}
 * at {@code total} steps (nanoGPT's schedule); constant at min after total.
 */
public record LearningRateSchedule(float peak, float min, int warmup, int total) {

    public LearningRateSchedule {
        if (!(peak > 0) || min < 0 || min > peak || warmup < 0 || total < 1) {
            throw new IllegalArgumentException("bad schedule: peak " + peak + ", min " + min + ", warmup " + warmup
                    + ", total " + total);
        }
    }

    /** The rate for step (0-based). */
    public float rate(int step) {
        if (step < warmup) {
            return peak * (step + 1) / warmup;
        }
        if (step >= total) {
            return min;
        }
        double progress = (double) (step - warmup) / Math.max(1, total - warmup);
        return (float) (min + 0.5 * (1 + Math.cos(Math.PI * progress)) * (peak - min));
    }
}
