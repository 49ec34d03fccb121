package dev.seriatim.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class MemoryBandwidthTest {

    static Stream<Integer> seeds() {
        return IntStream.range(0, 40).boxed();
    }

    /** The vector streaming kernel folds exactly the words the scalar one does, tails included. */
    @ParameterizedTest
    @MethodSource("seeds")
    void vectorStreamReadEqualsScalar(int seed) {
        Random random = new Random(seed);
        int words = 1 + random.nextInt(3000);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(words * 8L, 8);
            for (int i = 0; i < words; i++) {
                segment.setAtIndex(ValueLayout.JAVA_LONG, i, random.nextLong());
            }
            long from = 8L * random.nextInt(words);
            long to = from + 8L * random.nextInt(words - (int) (from / 8) + 1);
            long expected = 0;
            for (long at = from; at < to; at += 8) {
                expected ^= segment.get(ValueLayout.JAVA_LONG, at);
            }
            assertThat(ScalarKernels.streamRead(segment, from, to)).isEqualTo(expected);
            if (VectorSupport.available()) {
                assertThat(VectorKernels.streamRead(segment, from, to)).isEqualTo(expected);
            }
        }
    }

    @Test
    void measuresAPositiveRateWithEveryThread() {
        try (Parallel parallel = new Parallel(2)) {
            MemoryBandwidth.Result r = MemoryBandwidth.measure(parallel, 8L << 20, 2);
            assertThat(r.bytesPerSecond()).isPositive().isFinite();
            assertThat(r.threads()).isEqualTo(2);
            assertThat(r.bufferBytes()).isEqualTo(8L << 20);
        }
    }

    @Test
    void rejectsSizesThatAreNotWholePages() {
        assertThatThrownBy(() -> MemoryBandwidth.measure(Parallel.serial(), 1000, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4096");
        assertThatThrownBy(() -> MemoryBandwidth.measure(Parallel.serial(), 4096, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pass");
    }
}
