package dev.seriatim.train;

import dev.seriatim.nn.LearningRateSchedule;

/**
 * How a model is trained. Everything a resumed run needs to continue exactly is here or in the
 * checkpoint's weights and moments.
 *
 * @param batch           sequences per micro-batch
 * @param accumulation    micro-batches whose gradients are summed (averaged) per update
 * @param steps           updates in all; the cosine schedule ends here
 * @param clip            maximum global gradient norm (0: no clipping)
 * @param evalEvery       validate every this many steps (0: only at the end)
 * @param evalWindows     validation windows per evaluation during training
 * @param checkpointEvery checkpoint every this many steps (0: only at the end)
 */
public record TrainSettings(int batch, int accumulation, int steps, float lr, float minLr, int warmup,
        float weightDecay, float clip, int evalEvery, int evalWindows, int checkpointEvery, long seed) {

    public TrainSettings {
        if (batch < 1 || accumulation < 1 || steps < 1 || warmup < 0 || evalEvery < 0 || evalWindows < 1
                || checkpointEvery < 0) {
            throw new IllegalArgumentException("batch, accumulation, steps and eval windows must be positive; "
                    + "warmup, eval and checkpoint intervals not negative");
        }
        if (!(lr > 0) || !(minLr >= 0) || minLr > lr || !(weightDecay >= 0) || !(clip >= 0)) {
            throw new IllegalArgumentException("learning rate must be positive, min rate in [0, lr], "
                    + "weight decay and clip not negative");
        }
    }

    /** nanoGPT-like defaults for small models: lr 1e-3 decaying to 1e-4, 10% warm-up, decay 0.1, clip 1. */
    public static TrainSettings defaults(int batch, int steps, long seed) {
        return new TrainSettings(batch, 1, steps, 1e-3f, 1e-4f, Math.max(1, steps / 10), 0.1f, 1f, 0, 32, 0, seed);
    }

    public LearningRateSchedule schedule() {
        return new LearningRateSchedule(lr, minLr, warmup, steps);
    }

    public TrainSettings withSteps(int newSteps) {
        return new TrainSettings(batch, accumulation, newSteps, lr, minLr, Math.min(warmup, newSteps), weightDecay,
                clip, evalEvery, evalWindows, checkpointEvery, seed);
    }
}
