package dev.seriatim.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Brings runs of memory into the caches as sequential streams, ahead of code that reads them
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

    /**
     * Written once per call so that the loads have a use and are kept; its value means nothing
     * (threads race on it harmlessly).
     */
    private static int sink;

    private CacheLines() {
    }

    /**
     * Reads {@code count} runs of {@code bytes} each, the first at {@code from} and each next one
     * {@code stride} further (a chunk of rows, or the same columns of each), a byte every
     * {@link #LINE}; returns the sum of the bytes read (for tests; callers ignore it).
     */
    static int touchRuns(MemorySegment data, long from, long stride, int count, long bytes) {
        int sum = 0;
        for (int i = 0; i < count; i++) {
            long start = from + i * stride;
            long end = start + bytes;
            for (long at = start; at < end; at += LINE) {
                sum += data.get(ValueLayout.JAVA_BYTE, at);
            }
        }
        sink += sum;
        return sum;
    }
}
