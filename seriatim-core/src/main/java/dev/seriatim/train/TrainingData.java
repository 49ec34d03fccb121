package dev.seriatim.train;

import java.util.SplittableRandom;

/**
 * A token stream split by position into training (first 90%) and validation (last 10%) parts,
 * and the batches drawn from it. The windows of a batch come from a generator seeded by (seed,
 * step, micro-step) alone, so the data of any step is known without replaying the steps before
 * it: the step counter is the whole data position a checkpoint needs.
 */
public final class TrainingData {

    /** One batch: inputs and next-token targets, each batch * seqLen ids, row-major. */
    public record Batch(int[] inputs, int[] targets, int batch, int seqLen) {}

    private final int[] train;
    private final int[] validation;

    public TrainingData(int[] tokens, double validationFraction) {
        int split = (int) Math.round(tokens.length * (1 - validationFraction));
        this.train = java.util.Arrays.copyOfRange(tokens, 0, split);
        this.validation = java.util.Arrays.copyOfRange(tokens, split, tokens.length);
    }

    /** Splits off the last 10% for validation. */
    public static TrainingData ofBytes(byte[] bytes) {
        return new TrainingData(ByteVocabulary.ids(bytes, 0, bytes.length), 0.1);
    }

    public int[] train() {
        return train;
    }

    public int[] validation() {
        return validation;
    }

    /** Random windows of the training part for (step, micro-step). */
    public Batch batch(long seed, int step, int micro, int batch, int seqLen) {
        if (train.length < seqLen + 1) {
            throw new IllegalArgumentException("the training part has " + train.length
                    + " tokens, fewer than context + 1 = " + (seqLen + 1));
        }
        SplittableRandom random = new SplittableRandom(mix(seed, step, micro));
        int[] inputs = new int[batch * seqLen];
        int[] targets = new int[batch * seqLen];
        for (int b = 0; b < batch; b++) {
            int start = random.nextInt(train.length - seqLen);
            System.arraycopy(train, start, inputs, b * seqLen, seqLen);
            System.arraycopy(train, start + 1, targets, b * seqLen, seqLen);
        }
        return new Batch(inputs, targets, batch, seqLen);
    }

    /**
     * The validation part cut as the scorer cuts a sequence: consecutive windows of seqLen
     * tokens, the first of each window only a context; windows (at most {@code limit}) as
     * batches of one sequence of window - 1 predictions. The last, shorter window is included.
     */
    public java.util.List<Batch> validationWindows(int seqLen, int limit) {
        java.util.List<Batch> windows = new java.util.ArrayList<>();
        for (int start = 0; start + 1 < validation.length && windows.size() < limit; start += seqLen) {
            int n = Math.min(seqLen, validation.length - start) - 1;
            int[] in = java.util.Arrays.copyOfRange(validation, start, start + n);
            int[] out = java.util.Arrays.copyOfRange(validation, start + 1, start + 1 + n);
            windows.add(new Batch(in, out, 1, n));
        }
        return windows;
    }

    private static long mix(long seed, int step, int micro) {
        long z = seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + micro * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
