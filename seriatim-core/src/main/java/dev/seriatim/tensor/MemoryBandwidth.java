package dev.seriatim.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The machine's memory read bandwidth, measured the way token generation uses memory: every
 * thread of a {@link Parallel} streams its contiguous share of a buffer far larger than the
 * caches, once per pass, and the best pass counts. Generation reads every weight once per
 * token, so tokens/s times weight bytes divided by this figure is the fraction of the
 * hardware limit a run reaches.
 *
 * <p>The buffer lives off-heap and is freed before returning; callers that report peak memory
 * should read it before measuring.
 */
public final class MemoryBandwidth {

    /** Default buffer: 256 MiB, many times any current last-level cache. */
    public static final long DEFAULT_BYTES = 256L << 20;

    private MemoryBandwidth() {}

    /** The measurement: bytes read per second of the best pass, and the setup that produced it. */
    public record Result(double bytesPerSecond, long bufferBytes, int passes, int threads, boolean vectorApi) {
        public double gigabytesPerSecond() {
            return bytesPerSecond / 1e9;
        }
    }

    /**
     * Streams a {@code bytes}-long buffer {@code passes} times with the pool's threads.
     *
     * @throws IllegalArgumentException if bytes is not a positive multiple of 4096 or passes < 1
     */
    public static Result measure(Parallel parallel, long bytes, int passes) {
        if (bytes <= 0 || bytes % 4096 != 0 || passes < 1) {
            throw new IllegalArgumentException("need a positive multiple of 4096 bytes and at least one pass, got "
                    + bytes + " bytes, " + passes + " passes");
        }
        try (Arena arena = Arena.ofShared()) { // the pool's threads read it
            MemorySegment buffer = arena.allocate(bytes, 4096);
            // distinct values on every page so nothing is shared copy-on-write or left unmapped
            for (long i = 0; i < bytes; i += 8) {
                buffer.set(ValueLayout.JAVA_LONG_UNALIGNED, i, i * 0x9E3779B97F4A7C15L);
            }
            MemorySegment shared = buffer.asReadOnly();
            int chunks = parallel.threads();
            long chunkBytes = bytes / chunks / 64 * 64;
            long[] sink = new long[chunks];
            long best = Long.MAX_VALUE;
            for (int pass = 0; pass < passes; pass++) {
                long start = System.nanoTime();
                parallel.forRange(chunks, (from, to) -> {
                    for (int c = from; c < to; c++) {
                        long end = c == chunks - 1 ? bytes : (c + 1) * chunkBytes;
                        sink[c] ^= Kernels.streamRead(shared, c * chunkBytes, end);
                    }
                });
                best = Math.min(best, System.nanoTime() - start);
            }
            if (sink[0] == 42) {
                // keeps the reads observable; the value itself means nothing
                Thread.onSpinWait();
            }
            return new Result(bytes / (best / 1e9), bytes, passes, chunks, Kernels.usesVectorApi());
        }
    }
}
