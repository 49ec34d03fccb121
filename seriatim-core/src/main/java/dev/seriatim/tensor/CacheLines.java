package dev.seriatim.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Brings a run of memory into the caches as one sequential stream, ahead of code that reads it
 * in an order the hardware prefetchers do not follow.
 *
 * <p>Java has no prefetch instruction, so this reads every 64th byte, one per cache line (a run
 * that does not start on a line may leave the last line of its end unread). Those loads
 * depend on nothing and feed nothing but a sum, so the core keeps many of them in flight and the
 * stream prefetcher runs ahead of them: the run arrives at close to streaming bandwidth instead of
 * one memory latency per scattered access.
 */
final class CacheLines {

    static final int LINE = 64;

    /** Written so that the loads of {@link #touch} have a use and are kept; its value means nothing. */
    private static int sink;

    private CacheLines() {
    }

    /**
     * Reads the first byte of every line-sized step of [from, from + bytes) and returns their sum
     * (for tests; callers ignore it).
     */
    static int touch(MemorySegment data, long from, long bytes) {
        int sum = 0;
        long end = from + bytes;
        for (long at = from; at < end; at += LINE) {
            sum += data.get(ValueLayout.JAVA_BYTE, at);
        }
        sink += sum;
        return sum;
    }
}
