package dev.seriatim.io.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seriatim.tensor.GgmlType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Limits that protect the heap and the messages, and the lifecycle of an open file. */
class GgufHeaderLimitsTest {

    @TempDir
    Path dir;

    @Test
    void headerThatWouldDecodeIntoTooMuchHeapIsRejected() {
        GgufBytes b = GgufBytes.header(3, 0, 1).string("tokens")
                .u32(GgufValueType.ARRAY.id()).u32(GgufValueType.STRING.id()).u64(1000);
        for (int i = 0; i < 1000; i++) {
            b.string("t" + i);
        }
        MemorySegment file = MemorySegment.ofArray(b.toByteArray());
        assertThat(GgufHeaderReader.read(file).metadata().getStringArray("tokens")).hasSize(1000);
        assertThatThrownBy(() -> GgufHeaderReader.read(file, 16 * 1024))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("GGUF header too large")
                .hasMessageContaining("'tokens'");
    }

    @Test
    void namesInMessagesAreEscapedAndShortened() {
        assertThat(GgufNames.quote("a\u0000b\n")).isEqualTo("'a\\u0000b\\u000a'");
        assertThat(GgufNames.quote("x".repeat(200))).startsWith("'xxx").endsWith("...(200 chars)'").hasSizeLessThan(120);
        assertThat(GgufNames.quote("blk.0.attn_q.weight")).isEqualTo("'blk.0.attn_q.weight'");
    }

    @Test
    void closeIsIdempotentAndDataRejectsForeignTensors() throws IOException {
        Path file = dir.resolve("f.gguf");
        new GgufWriter().addTensor("t", GgmlType.F32, new long[] {2}, new byte[8]).write(file);
        GgufFile gguf = GgufFile.open(file);
        GgufTensorInfo foreign = new GgufTensorInfo("t", new long[] {2}, GgmlType.F32, 1 << 20, 8);
        assertThatThrownBy(() -> gguf.data(foreign)).isInstanceOf(IllegalArgumentException.class);
        GgufTensorInfo t = gguf.tensor("t").orElseThrow();
        assertThat(gguf.data(t).byteSize()).isEqualTo(8);
        assertThat(t.toString()).contains("t", "F32", "[2]");
        gguf.close();
        gguf.close();
        assertThatThrownBy(() -> gguf.data(t).get(ValueLayout.JAVA_BYTE, 0))
                .isInstanceOf(IllegalStateException.class);
    }
}
