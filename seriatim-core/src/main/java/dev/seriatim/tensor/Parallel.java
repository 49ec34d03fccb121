package dev.seriatim.tensor;

import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fixed team of platform daemon threads that runs a loop body over index ranges.
 *
 * <p>{@link #forRange} cuts [0, n) into {@link #threads()} contiguous chunks by a fixed rule;
 * the calling thread runs chunk 0 and the workers run the others. Because the split depends
 * only on n and the thread count, and each index belongs to exactly one chunk, a body that
 * writes only its own indices gives the same result on every run.
 *
 * <p>Workers persist between calls and meet the caller at a {@link Phaser} twice per call
 * (start, end), so a call allocates nothing beyond the caller's lambda. A call made while
 * another is running (from a second thread, or nested inside a body) runs the whole range on
 * the calling thread instead of waiting, so it can never deadlock.
 */
public final class Parallel implements AutoCloseable {

    /** A loop body over the half-open index range [start, end). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    private final int threads;
    private final Phaser phaser;
    private final Thread[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();

    // Published to workers by the start barrier (Phaser arrival happens-before the advance).
    private RangeBody body;
    private int n;
    private Throwable failure;

    /** A team of {@code threads} threads in all, counting the caller; {@code threads - 1} are started. */
    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.phaser = threads > 1 ? new Phaser(threads) : null;
        this.workers = new Thread[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            int chunk = w + 1;
            workers[w] = Thread.ofPlatform()
                    .daemon()
                    .name("seriatim-parallel-" + chunk)
                    .start(() -> workLoop(chunk));
        }
    }

    /** One thread, no pool: forRange simply runs the body on the caller. */
    public static Parallel serial() {
        return new Parallel(1);
    }

    /** A team with one thread per available processor. */
    public static Parallel ofAvailableProcessors() {
        return new Parallel(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over [0, n) split into {@link #threads()} contiguous chunks, chunk i
     * being [i*n/threads, (i+1)*n/threads). Returns when all chunks are done; if any chunk
     * threw, rethrows the first failure recorded (after all chunks have finished).
     */
    public void forRange(int n, RangeBody body) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, got " + n);
        }
        if (threads == 1 || n == 0 || !busy.compareAndSet(false, true)) {
            body.run(0, n);
            return;
        }
        try {
            if (phaser.isTerminated()) {
                throw new IllegalStateException("Parallel is closed");
            }
            this.body = body;
            this.n = n;
            this.failure = null;
            phaser.arriveAndAwaitAdvance(); // start
            runChunk(0);
            phaser.arriveAndAwaitAdvance(); // end: workers' writes are now visible
            Throwable thrown = failure;
            this.body = null;
            if (thrown != null) {
                rethrow(thrown);
            }
        } finally {
            busy.set(false);
        }
    }

    /** Stops the workers; later parallel calls fail. Idempotent. */
    @Override
    public void close() {
        if (phaser != null) {
            phaser.forceTermination();
        }
    }

    private void workLoop(int chunk) {
        while (true) {
            if (phaser.arriveAndAwaitAdvance() < 0) {
                return; // terminated
            }
            runChunk(chunk);
            if (phaser.arriveAndAwaitAdvance() < 0) {
                return;
            }
        }
    }

    private void runChunk(int chunk) {
        int start = (int) ((long) chunk * n / threads);
        int end = (int) ((long) (chunk + 1) * n / threads);
        if (start >= end) {
            return;
        }
        try {
            body.run(start, end);
        } catch (Throwable t) {
            recordFailure(t);
        }
    }

    private synchronized void recordFailure(Throwable t) {
        if (failure == null) {
            failure = t;
        } else {
            failure.addSuppressed(t);
        }
    }

    private static void rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t); // a body can only throw unchecked, but be safe
    }
}
