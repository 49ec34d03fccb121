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

    /**
     * A fingerprint of the token stream and its split (SHA-256 of the ids, first 16 hex digits):
     * a checkpoint records it, so that resuming on other data is refused rather than silently
     * continuing a different run.
     */
    public String fingerprint() {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(4 * 1024);
            for (int[] part : new int[][] {train, validation}) {
                for (int id : part) {
                    if (!buffer.hasRemaining()) {
                        sha.update(buffer.flip());
                        buffer.clear();
                    }
                    buffer.putInt(id);
                }
                buffer.putInt(-1); // the split point counts too
                sha.update(buffer.flip());
                buffer.clear();
            }
            return java.util.HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
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
     * tokens, the first of each window only a context, so each window gives seqLen - 1
     * predictions (the last, shorter window fewer). At most {@code limit} windows, grouped into
     * batches of up to {@code batch} windows of the same length.
     */
    public java.util.List<Batch> validationWindows(int seqLen, int limit, int batch) {
        java.util.List<Batch> batches = new java.util.ArrayList<>();
        int windows = 0;
        int start = 0;
        while (start + 1 < validation.length && windows < limit) {
            int n = Math.min(seqLen, validation.length - start) - 1;
            int group = 1;
            if (n == seqLen - 1) { // full windows go together
                while (group < batch && windows + group < limit
                        && start + (long) (group + 1) * seqLen <= validation.length) {
                    group++;
                }
            }
            int[] in = new int[group * n];
            int[] out = new int[group * n];
            for (int g = 0; g < group; g++) {
                System.arraycopy(validation, start + g * seqLen, in, g * n, n);
                System.arraycopy(validation, start + g * seqLen + 1, out, g * n, n);
            }
            batches.add(new Batch(in, out, group, n));
            windows += group;
            start += group * seqLen;
        }
        return batches;
    }

    private static long mix(long seed, int step, int micro) {
        long z = seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + micro * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
