package dev.seriatim.tensor;

/**
 * A batch of {@code tokens} vectors of {@code cols} values already in {@link PackedMatmul}'s
 * strip layout, as one product hands it to the next ({@link WeightMatrix#swiglu} to the down
 * projection). {@code data} is a per-thread scratch buffer: it stays valid on the thread that
 * made it until that thread's next {@code swiglu}.
 */
public record PackedBatch(float[] data, int tokens, int cols) {}
