package dev.seriatim.io.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void derivedMemoryIsZeroedAlignedAndFreedWithTheCheckpoint() throws IOException {
        new SafetensorsWriter().addF32("w", new long[] {2}, new float[] {1, 2}).write(dir.resolve("model.safetensors"));
        MemorySegment derived;
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir)) {
            derived = checkpoint.allocate(1024, 64);
            assertThat(derived.byteSize()).isEqualTo(1024);
            assertThat(derived.address() % 64).isZero();
            assertThat(derived.toArray(ValueLayout.JAVA_BYTE)).containsOnly((byte) 0);
            assertThat(derived.scope().isAlive()).isTrue();
        }
        assertThat(derived.scope().isAlive()).isFalse();
    }

    @Test
    void allocateAfterCloseFailsAndCloseTwiceIsHarmless() throws IOException {
        new SafetensorsWriter().addF32("w", new long[] {1}, new float[] {1}).write(dir.resolve("model.safetensors"));
        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir);
        checkpoint.allocate(16, 8);
        checkpoint.close();
        checkpoint.close();
        assertThatThrownBy(() -> checkpoint.allocate(16, 8)).isInstanceOf(IllegalStateException.class);
    }
}
