package dev.seriatim.tensor;

/**
 * A float buffer per thread, grown to the largest size asked of it and kept between calls: the
 * kernels that need scratch space (a widened row, packed tokens, partial sums) run many times
 * per token on the same few threads, so once warm they allocate nothing.
 */
public final class ThreadScratch {

    private final ThreadLocal<float[]> buffers = new ThreadLocal<>();

    /** This thread's buffer, at least {@code size} floats long; its contents are left over from earlier calls. */
    public float[] atLeast(int size) {
        float[] b = buffers.get();
        if (b == null || b.length < size) {
            b = new float[size];
            buffers.set(b);
        }
        return b;
    }
}
