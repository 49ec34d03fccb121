package dev.seriatim.train;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What an independent implementation needs to repeat a run: the initial weights (a step-0
 * checkpoint, with the settings in its metadata) and every batch of every step. The PyTorch
 * script {@code tools/reference/train_gpt.py} reads it and trains the same model on the same
 * batches.
 *
 * <p>batches.bin: for each step, for each micro-batch, batch * context int32 little-endian
 * inputs, then as many targets.
 */
public final class ReferenceBundle {

    private ReferenceBundle() {}

    /** Writes DIR/initial.ckpt.gguf and DIR/batches.bin for a trainer that has not stepped yet. */
    public static void write(Path dir, GptTrainer trainer, TrainingData data) throws IOException {
        if (trainer.step() != 0) {
            throw new IllegalStateException("a reference bundle starts at step 0, not " + trainer.step());
        }
        Files.createDirectories(dir);
        trainer.saveCheckpoint(dir.resolve("initial.ckpt.gguf"));
        TrainSettings s = trainer.settings();
        int context = trainer.model().config().context();
        try (OutputStream file = Files.newOutputStream(dir.resolve("batches.bin"));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file))) {
            for (int step = 0; step < s.steps(); step++) {
                for (int micro = 0; micro < s.accumulation(); micro++) {
                    TrainingData.Batch b = data.batch(s.seed(), step, micro, s.batch(), context);
                    writeLittleEndian(out, b.inputs());
                    writeLittleEndian(out, b.targets());
                }
            }
        }
    }

    private static void writeLittleEndian(DataOutputStream out, int[] values) throws IOException {
        for (int v : values) {
            out.writeInt(Integer.reverseBytes(v));
        }
    }
}
