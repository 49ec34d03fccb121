package dev.seriatim.train;

import dev.seriatim.autograd.Elementwise;
import dev.seriatim.autograd.Tape;
import dev.seriatim.autograd.Tensor;
import dev.seriatim.nn.AdamW;
import dev.seriatim.nn.GradientClipping;
import dev.seriatim.nn.Parameter;
import dev.seriatim.tensor.Parallel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The training loop of a GPT, one readable step at a time: for each micro-batch, forward,
 * loss / accumulation, backward (gradients add up); then clip, look up the scheduled rate,
 * AdamW. A given seed, data and settings reproduce a run bit for bit, whatever the thread count,
 * and a run resumed from a checkpoint continues exactly as if it had never stopped.
 */
public final class GptTrainer {

    private final GptModel model;
    private final AdamW optimizer;
    private final TrainingData data;
    private final TrainSettings settings;
    private final Parallel parallel;
    private final TokenizerKeys tokenizer;
    private int step;

    /** A fresh run from step 0 on byte-level data. */
    public GptTrainer(GptModel model, TrainingData data, TrainSettings settings, Parallel parallel) {
        this(model, data, settings, parallel, TokenizerKeys.bytes());
    }

    /** A fresh run from step 0 on data tokenized with the given vocabulary (saved in checkpoints). */
    public GptTrainer(GptModel model, TrainingData data, TrainSettings settings, Parallel parallel,
            TokenizerKeys tokenizer) {
        this(model, new AdamW(model.parameters(), adamSettings(settings)), data, settings, parallel, 0, tokenizer);
    }

    private GptTrainer(GptModel model, AdamW optimizer, TrainingData data, TrainSettings settings, Parallel parallel,
            int step, TokenizerKeys tokenizer) {
        this.tokenizer = tokenizer;
        this.model = model;
        this.optimizer = optimizer;
        this.data = data;
        this.settings = settings;
        this.parallel = parallel;
        this.step = step;
    }

    /**
     * Continues the run saved in a checkpoint, on the same data.
     *
     * @throws IllegalArgumentException if the data is not the data the checkpoint was trained on
     */
    public static GptTrainer resume(Checkpoint.State state, TrainingData data, Parallel parallel) {
        if (!state.dataFingerprint().equals(data.fingerprint())) {
            throw new IllegalArgumentException("the data differs from the data the checkpoint was trained on "
                    + "(fingerprint " + data.fingerprint() + ", checkpoint " + state.dataFingerprint()
                    + "): resuming would not continue the same run");
        }
        return new GptTrainer(state.model(), state.optimizer(), data, state.settings(), parallel, state.step(),
                state.tokenizer());
    }

    static AdamW.Settings adamSettings(TrainSettings s) {
        AdamW.Settings d = AdamW.Settings.nanoGpt();
        return new AdamW.Settings(d.beta1(), d.beta2(), d.eps(), s.weightDecay());
    }

    public GptModel model() {
        return model;
    }

    public TokenizerKeys tokenizer() {
        return tokenizer;
    }

    public int step() {
        return step;
    }

    public TrainSettings settings() {
        return settings;
    }

    /** One update. */
    public StepReport trainStep() {
        long started = System.nanoTime();
        List<Parameter> parameters = optimizer.parameters();
        for (Parameter p : parameters) {
            p.tensor().zeroGrad();
        }
        int seqLen = model.config().context();
        double lossSum = 0;
        for (int micro = 0; micro < settings.accumulation(); micro++) {
            TrainingData.Batch b = data.batch(settings.seed(), step, micro, settings.batch(), seqLen);
            Tape tape = new Tape(parallel);
            Tensor loss = model.loss(tape, b.inputs(), b.targets(), b.batch(), b.seqLen());
            lossSum += loss.item();
            tape.backward(Elementwise.scale(tape, loss, 1f / settings.accumulation()));
        }
        double norm = GradientClipping.clipGlobalNorm(parameters, settings.clip());
        float lr = settings.schedule().rate(step);
        optimizer.step(lr);
        step++;
        long tokens = (long) settings.accumulation() * settings.batch() * seqLen;
        return new StepReport(step, lossSum / settings.accumulation(), lr, norm, tokens,
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * Mean loss in nats per token over up to {@code windows} validation windows, cut and scored
     * the way {@code seriatim score} scores text with a context of the model's length.
     */
    public double validationLoss(int windows) {
        double nll = 0;
        long count = 0;
        for (TrainingData.Batch w : data.validationWindows(model.config().context(), windows, settings.batch())) {
            Tensor loss = model.loss(Tape.withoutGradients(parallel), w.inputs(), w.targets(), w.batch(), w.seqLen());
            nll += (double) loss.item() * w.inputs().length;
            count += w.inputs().length;
        }
        return count == 0 ? Double.NaN : nll / count;
    }

    /**
     * Trains until the settings' step count, or until {@code stop} answers true (checked after
     * every step), validating and checkpointing as the settings ask; always writes a checkpoint
     * at the end when {@code checkpoint} is not null.
     */
    public void run(TrainingListener listener, BooleanSupplier stop, Path checkpoint) throws IOException {
        while (step < settings.steps() && !stop.getAsBoolean()) {
            StepReport report = trainStep();
            listener.onStep(report);
            if (settings.evalEvery() > 0 && step % settings.evalEvery() == 0 && step < settings.steps()) {
                listener.onValidation(step, validationLoss(settings.evalWindows()));
            }
            if (checkpoint != null && settings.checkpointEvery() > 0 && step % settings.checkpointEvery() == 0
                    && step < settings.steps()) {
                saveCheckpoint(checkpoint);
                listener.onCheckpoint(step, checkpoint);
            }
        }
        if (checkpoint != null) {
            saveCheckpoint(checkpoint);
            listener.onCheckpoint(step, checkpoint);
        }
    }

    public void saveCheckpoint(Path path) throws IOException {
        Checkpoint.write(path, model, tokenizer, optimizer, step, settings, data.fingerprint());
    }
}
