package dev.seriatim.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ThreadScratchTest {

    @Test
    void keepsOneGrowingBufferPerThread() throws Exception {
        ThreadScratch scratch = new ThreadScratch();
        float[] first = scratch.atLeast(10);
        assertThat(first.length).isGreaterThanOrEqualTo(10);
        assertThat(scratch.atLeast(5)).isSameAs(first); // smaller asks reuse it
        float[] grown = scratch.atLeast(100);
        assertThat(grown.length).isGreaterThanOrEqualTo(100);
        assertThat(scratch.atLeast(10)).isSameAs(grown);
        AtomicReference<float[]> other = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> other.set(scratch.atLeast(10)));
        t.join();
        assertThat(other.get()).isNotSameAs(grown);
    }
}
