package dev.seriatim.train;

import java.nio.file.Path;

/** Receives a training run's progress (the command line's progress display and CSV log). */
public interface TrainingListener {

    void onStep(StepReport report);

    default void onValidation(int step, double loss) {}

    default void onCheckpoint(int step, Path path) {}

    TrainingListener NONE = report -> {};
}
