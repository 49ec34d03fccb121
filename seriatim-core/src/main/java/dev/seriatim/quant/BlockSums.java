package dev.seriatim.quant;

/**
 * Sums of short runs of activations, for the per-call set-up of the quantized row dots. Four
 * interleaved partial sums, added pairwise at the end, so the adds do not wait on each other
 * one by one (a run of 32 is 8 dependent adds instead of 32); the order is fixed, so the sum
 * is the same in the interpreter and in compiled code. Plain Java on purpose: a Vector API
 * reduction here would be compiled on its own before the row dots are, and C2 then declines to
 * inline that compiled copy into them, boxing a vector per row.
 */
final class BlockSums {

    private BlockSums() {}

    /** x[from] + ... + x[from + count - 1]; count is a multiple of 4. */
    static float of(float[] x, int from, int count) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        for (int i = 0; i < count; i += 4) {
            s0 += x[from + i];
            s1 += x[from + i + 1];
            s2 += x[from + i + 2];
            s3 += x[from + i + 3];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
