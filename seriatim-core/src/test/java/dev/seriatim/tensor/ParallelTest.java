package dev.seriatim.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParallelTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void coversEveryIndexExactlyOnceInContiguousChunks(int threads) {
        try (Parallel p = new Parallel(threads)) {
            for (int n : new int[] {0, 1, 2, 3, 5, 17, 1000}) {
                int[] hits = new int[n];
                List<int[]> chunks = Collections.synchronizedList(new ArrayList<>());
                p.forRange(n, (start, end) -> {
                    chunks.add(new int[] {start, end});
                    for (int i = start; i < end; i++) {
                        hits[i]++;
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertThat(hits[i]).as("n=%d index %d", n, i).isEqualTo(1);
                }
                assertThat(chunks.size()).isLessThanOrEqualTo(threads);
                if (n >= threads) {
                    chunks.sort((a, b) -> Integer.compare(a[0], b[0]));
                    for (int c = 0; c < threads; c++) {
                        assertThat(chunks.get(c)).containsExactly(c * n / threads, (c + 1) * n / threads);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void piecesCoverEveryIndexExactlyOnceInWholePieces(int threads) {
        Random random = new Random(threads);
        try (Parallel p = new Parallel(threads)) {
            for (int call = 0; call < 200; call++) { // many calls: the piece counter restarts each time
                int n = call < 5 ? call : random.nextInt(3000);
                int piece = 1 + random.nextInt(call % 3 == 0 ? 5 : 400);
                int[] hits = new int[n];
                List<int[]> ranges = Collections.synchronizedList(new ArrayList<>());
                p.forPieces(n, piece, (start, end) -> {
                    ranges.add(new int[] {start, end});
                    for (int i = start; i < end; i++) {
                        hits[i]++;
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertThat(hits[i]).as("n=%d piece=%d index %d", n, piece, i).isEqualTo(1);
                }
                if (threads == 1) {
                    assertThat(ranges.size()).isLessThanOrEqualTo(1); // no team: one range on the caller
                    continue;
                }
                for (int[] r : ranges) {
                    assertThat(r[0] % piece).isZero();
                    assertThat(r[1]).isEqualTo(Math.min(n, r[0] + piece));
                }
            }
        }
    }

    @Test
    void resultsAreIdenticalForAnyThreadCount() {
        Random random = new Random(5);
        float[] values = new float[10_007];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        float[] reference = null;
        for (int threads = 1; threads <= 4; threads++) {
            float[] out = new float[values.length / 7];
            try (Parallel p = new Parallel(threads)) {
                for (int repeat = 0; repeat < 50; repeat++) { // many calls: workers are reused
                    Parallel.RangeBody body = (start, end) -> {
                        for (int i = start; i < end; i++) {
                            out[i] = Kernels.dot(values, i, values, i * 3 % 100, 700);
                        }
                    };
                    if (repeat % 2 == 0) {
                        p.forRange(out.length, body);
                    } else {
                        p.forPieces(out.length, 1 + repeat, body);
                    }
                }
            }
            if (reference == null) {
                reference = out;
            } else {
                assertThat(out).as("threads=%d", threads).containsExactly(reference);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void rethrowsAWorkerExceptionAfterAllChunksFinish(int threads) {
        try (Parallel p = new Parallel(threads)) {
            AtomicInteger finished = new AtomicInteger();
            IllegalStateException boom = new IllegalStateException("boom");
            assertThatThrownBy(() -> p.forRange(100, (start, end) -> {
                        if (end == 100) {
                            throw boom; // the last chunk: a worker's when threads > 1
                        }
                        finished.incrementAndGet();
                    }))
                    .isSameAs(boom);
            assertThat(finished.get()).isEqualTo(threads - 1);

            // A failing piece: every other piece still runs, then the failure surfaces.
            AtomicInteger pieces = new AtomicInteger();
            assertThatThrownBy(() -> p.forPieces(100, 10, (start, end) -> {
                        if (start == 30 || threads == 1) { // one thread runs [0, 100) as one range
                            throw boom;
                        }
                        pieces.incrementAndGet();
                    }))
                    .isSameAs(boom);
            assertThat(pieces.get()).isEqualTo(threads == 1 ? 0 : 9);

            // The team still works after a failure.
            int[] hits = new int[10];
            p.forRange(10, (start, end) -> {
                for (int i = start; i < end; i++) {
                    hits[i]++;
                }
            });
            assertThat(hits).containsOnly(1);
        }
    }

    @Test
    void nestedCallsRunOnTheCallingThreadInsteadOfDeadlocking() {
        try (Parallel p = new Parallel(3)) {
            AtomicInteger inner = new AtomicInteger();
            p.forRange(3, (start, end) -> p.forRange(4, (s, e) -> inner.addAndGet(e - s)));
            assertThat(inner.get()).isEqualTo(12);
        }
    }

    @Test
    void serialHasOneThreadAndRejectsBadArguments() {
        assertThat(Parallel.serial().threads()).isEqualTo(1);
        assertThatThrownBy(() -> new Parallel(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Parallel.serial().forRange(-1, (s, e) -> {}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Parallel.serial().forPieces(10, 0, (s, e) -> {}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
