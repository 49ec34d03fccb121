package dev.seriatim.tensor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of platform daemon threads that runs a loop body over index ranges.
 *
 * <p>{@link #forRange} cuts [0, n) into {@link #threads()} contiguous chunks by a fixed rule;
 * the calling thread runs chunk 0 and the workers run the others. Because the split depends
 * only on n and the thread count, and each index belongs to exactly one chunk, a body that
 * writes only its own indices gives the same result on every run. {@link #forPieces} instead
 * lets every thread take fixed-size pieces from a shared counter until none are left, so a
 * thread slowed by something else on its core gets fewer pieces rather than holding up the
 * rest; which thread runs a piece then varies, so it suits bodies whose result per index does
 * not depend on how the range is cut (a row's dot product does not).
 *
 * <p>Generating one token makes about a hundred calls of a few hundred microseconds each, so
 * the hand-off must cost far less than waking a parked thread (tens of microseconds). Workers
 * therefore wait for the next call by spinning on a generation counter for up to
 * {@link #SPIN_NANOS}, and only then park; the caller waits for the workers the same way. A
 * party that parks first raises a flag that the other checks after its own volatile write (a
 * Dekker-style pairing), so no wake-up is lost. A call allocates nothing beyond the caller's
 * lambda. A call made while another is running (from a second thread, or nested inside a body)
 * runs the whole range on the calling thread instead of waiting, so it can never deadlock.
 */
public final class Parallel implements AutoCloseable {

    /** How long a waiting thread spins before it parks: longer than the gap between the calls of one token. */
    static final long SPIN_NANOS = 200_000;

    /** A loop body over the half-open index range [start, end). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    private final int threads;
    /** Spinning only pays when every thread has a core; oversubscribed teams park at once. */
    private final long spinNanos;
    private final Thread[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();

    /** Call number; workers start a call when it changes, and stop when it turns negative. */
    private volatile long generation;
    /** Workers still running the current call's chunks. */
    private final AtomicInteger pending = new AtomicInteger();
    /** Per worker: true while it is parked, or about to be, waiting for a call. */
    private final AtomicBoolean[] workerParked;
    private volatile Thread caller;
    private volatile boolean callerParked;

    // Published to workers by the volatile write of generation, read back after pending hits 0.
    private RangeBody body;
    private int n;
    /** Piece size of a forPieces call; 0 for forRange's fixed chunks. */
    private int piece;
    private Throwable failure;
    /** Next piece of a forPieces call to hand out. */
    private final AtomicInteger nextPiece = new AtomicInteger();

    /** A team of {@code threads} threads in all, counting the caller; {@code threads - 1} are started. */
    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.spinNanos = threads <= Runtime.getRuntime().availableProcessors() ? SPIN_NANOS : 0;
        this.workers = new Thread[threads - 1];
        this.workerParked = new AtomicBoolean[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            workerParked[w] = new AtomicBoolean();
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
        run(n, 0, body);
    }

    /**
     * Runs {@code body} over [0, n) in pieces [i*piece, min(n, (i+1)*piece)), each taken by
     * whichever thread asks next; returns when all are done, rethrowing the first failure as
     * {@link #forRange} does. Without a team (one thread, or a call nested in a running one)
     * the caller runs [0, n) as one range.
     */
    public void forPieces(int n, int piece, RangeBody body) {
        if (piece < 1) {
            throw new IllegalArgumentException("piece must be at least 1, got " + piece);
        }
        run(n, piece, body);
    }

    private void run(int n, int piece, RangeBody body) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, got " + n);
        }
        if (threads == 1 || n == 0 || !busy.compareAndSet(false, true)) {
            body.run(0, n);
            return;
        }
        try {
            if (generation < 0) {
                throw new IllegalStateException("Parallel is closed");
            }
            this.body = body;
            this.n = n;
            this.piece = piece;
            this.failure = null;
            this.caller = Thread.currentThread();
            nextPiece.set(0);
            pending.set(workers.length);
            generation = generation + 1; // start: publishes the fields above
            for (int w = 0; w < workers.length; w++) {
                if (workerParked[w].get()) {
                    LockSupport.unpark(workers[w]);
                }
            }
            runShare(0);
            awaitWorkers(); // their writes are visible once pending reads 0
            Throwable thrown = failure;
            this.body = null;
            if (thrown != null) {
                rethrow(thrown);
            }
        } finally {
            busy.set(false);
        }
    }

    private void awaitWorkers() {
        long spinUntil = System.nanoTime() + spinNanos;
        int spins = 0;
        while (pending.get() != 0) {
            if (++spins % 64 != 0 || System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
                continue;
            }
            callerParked = true;
            if (pending.get() != 0) {
                LockSupport.park(this);
            }
            callerParked = false;
        }
    }

    /** Stops the workers; later parallel calls fail. Idempotent. */
    @Override
    public void close() {
        if (workers.length == 0) {
            return;
        }
        generation = Long.MIN_VALUE;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
    }

    private void workLoop(int chunk) {
        AtomicBoolean parked = workerParked[chunk - 1];
        long seen = 0;
        while (true) {
            long current;
            long spinUntil = System.nanoTime() + spinNanos;
            int spins = 0;
            while ((current = generation) == seen) {
                if (++spins % 64 != 0 || System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                    continue;
                }
                parked.set(true);
                if (generation == seen) {
                    LockSupport.park(this);
                }
                parked.set(false);
            }
            if (current < 0) {
                return; // closed
            }
            seen = current;
            runShare(chunk);
            if (pending.decrementAndGet() == 0 && callerParked) {
                LockSupport.unpark(caller);
            }
        }
    }

    /** This thread's part of the current call: its fixed chunk, or pieces until none are left. */
    private void runShare(int chunk) {
        if (piece == 0) {
            runRange((int) ((long) chunk * n / threads), (int) ((long) (chunk + 1) * n / threads));
            return;
        }
        int pieces = (int) (((long) n + piece - 1) / piece);
        for (int i; (i = nextPiece.getAndIncrement()) < pieces; ) {
            runRange((int) ((long) i * piece), (int) Math.min(n, (long) (i + 1) * piece));
        }
    }

    private void runRange(int start, int end) {
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
