package dev.seriatim.io.gguf;

import java.util.function.Supplier;

/**
 * A cap on the Java heap that decoding one file's header may take.
 *
 * <p>Bounding counts by the bytes left is not enough on its own: a 9-byte string entry becomes
 * a ~60-byte Java String, so a large hostile file of tiny entries could still exhaust the heap.
 * Every allocation is charged here first (with a rough per-object estimate) and the file is
 * rejected once the total passes the limit. Real models need a few tens of MiB.
 */
final class GgufHeapBudget {

    /** Default limit: far above any real vocabulary, far below a typical heap. */
    static final long DEFAULT_LIMIT = 1L << 30;

    /** Rough heap cost of one small object (header, fields, reference to it). */
    static final long OBJECT_OVERHEAD = 48;

    private final long limit;
    private long used;

    GgufHeapBudget(long limit) {
        this.limit = limit;
    }

    /** Records {@code count * each} more bytes, failing before the limit is passed. */
    void charge(long count, long each, Supplier<String> what) {
        if (each <= 0) {
            return; // nothing to charge (e.g. an empty string); also keeps the division below safe
        }
        if (count < 0 || count > (limit - used) / each) {
            throw new GgufFormatException("GGUF header too large: " + what.get()
                    + " would take more than " + (limit >> 20) + " MiB of memory to decode");
        }
        used += count * each;
    }
}
