package dev.seriatim.io.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seriatim.tensor.GgmlType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufWriterTest {

    @TempDir
    Path dir;

    @Test
    void rejectsWrongDataLength() {
        assertThatThrownBy(() -> new GgufWriter().addTensor("t", GgmlType.F32, new long[] {4}, new byte[15]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 16 bytes");
    }

    @Test
    void rejectsDuplicateTensors() {
        GgufWriter w = new GgufWriter().addTensor("t", GgmlType.F32, new long[] {1}, new byte[4]);
        assertThatThrownBy(() -> w.addTensor("t", GgmlType.F32, new long[] {1}, new byte[4]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate tensor name 't'");
    }

    @Test
    void rejectsBadShapes() {
        GgufWriter w = new GgufWriter();
        assertThatThrownBy(() -> w.addTensor("t", GgmlType.F32, new long[0], new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.addTensor("t", GgmlType.F32, new long[] {1, 1, 1, 1, 1}, new byte[4]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.addTensor("t", GgmlType.F32, new long[] {0}, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.addTensor("t", GgmlType.Q4_0, new long[] {16, 2}, new byte[18]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("block size 32");
    }

    @Test
    void rejectsBadAlignment() {
        assertThatThrownBy(() -> new GgufWriter().putUInt32("general.alignment", 24))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("power of two");
        assertThatThrownBy(() -> new GgufWriter().putString("general.alignment", "32"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void putAgainReplacesTheValueInPlace() throws IOException {
        Path file = dir.resolve("m.gguf");
        new GgufWriter().putString("a", "1").putString("b", "2").putString("a", "3").write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.metadata().keys()).containsExactly("a", "b");
            assertThat(gguf.metadata().getString("a")).isEqualTo("3");
        }
    }

    @Test
    void writeReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("m.gguf");
        Files.writeString(file, "old content");
        new GgufWriter().putString("general.architecture", "x")
                .addTensor("t", GgmlType.F16, new long[] {3}, new byte[6])
                .write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.architecture()).isEqualTo("x");
            assertThat(gguf.fileSize() % 32).isZero();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void failedWriteLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("is-a-directory");
        Files.createDirectory(target);
        Files.writeString(target.resolve("child"), "keeps the directory non-empty");
        assertThatThrownBy(() -> new GgufWriter().putString("k", "v").write(target)).isInstanceOf(IOException.class);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void tensorDataIsPaddedToTheAlignment() throws IOException {
        Path file = dir.resolve("pad.gguf");
        new GgufWriter().putUInt32("general.alignment", 64)
                .addTensor("a", GgmlType.F32, new long[] {3}, new byte[12])
                .addTensor("b", GgmlType.F32, new long[] {1}, new byte[4])
                .write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            GgufTensorInfo a = gguf.tensor("a").orElseThrow();
            GgufTensorInfo b = gguf.tensor("b").orElseThrow();
            assertThat(a.offset()).isEqualTo(gguf.dataOffset());
            assertThat(b.offset()).isEqualTo(gguf.dataOffset() + 64);
            assertThat(gguf.fileSize()).isEqualTo(gguf.dataOffset() + 128);
        }
    }
}
