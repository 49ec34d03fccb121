package dev.seriatim.io.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafetensorsFileTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsTensorsAndMetadata() throws IOException {
        Path p = dir.resolve("m.safetensors");
        new SafetensorsWriter()
                .putMetadata("format", "pt")
                .addF32("a", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})
                .add("b", SafetensorsDtype.BF16, new long[] {2}, new byte[] {0, 0x3f, 0, 0x40})
                .add("empty", SafetensorsDtype.I64, new long[] {0}, new byte[0])
                .write(p);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertThat(f.metadata()).containsEntry("format", "pt");
            assertThat(f.tensors()).extracting(SafetensorsTensor::name).containsExactly("a", "b", "empty");
            SafetensorsTensor a = f.tensor("a").orElseThrow();
            assertThat(a.shape()).containsExactly(2, 3);
            assertThat(f.data(a).toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN)))
                    .containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(f.data(f.tensor("b").orElseThrow()).byteSize()).isEqualTo(4);
            assertThat(f.tensor("missing")).isEmpty();
        }
    }

    @Test
    void readCopiesTheSameBytesTheMappingHolds() throws IOException {
        Path p = dir.resolve("r.safetensors");
        float[] values = new float[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f - 7f;
        }
        new SafetensorsWriter()
                .addF32("first", new long[] {3}, new float[] {9, 8, 7})
                .addF32("second", new long[] {1000}, values)
                .write(p);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            SafetensorsTensor t = f.tensor("second").orElseThrow();
            byte[] whole = new byte[4000];
            f.read(t, 0, MemorySegment.ofArray(whole));
            assertThat(whole).containsExactly(f.data(t).toArray(ValueLayout.JAVA_BYTE));
            MemorySegment part = Arena.ofAuto().allocate(40);
            f.read(t, 400, part);
            assertThat(part.toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN)))
                    .containsExactly(java.util.Arrays.copyOfRange(values, 100, 110));
            assertThatThrownBy(() -> f.read(t, 3990, MemorySegment.ofArray(new byte[11])))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside tensor second");
            assertThatThrownBy(() -> f.read(t, -1, MemorySegment.ofArray(new byte[1])))
                    .isInstanceOf(IllegalArgumentException.class);
            SafetensorsTensor foreign = new SafetensorsTensor("second", t.dtype(), t.shape(), 0, t.byteSize());
            assertThatThrownBy(() -> f.read(foreign, 0, MemorySegment.ofArray(new byte[4])))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not belong");
        }
    }

    private Path withHeader(String json, int dataBytes) throws IOException {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path p = dir.resolve("bad.safetensors");
        Files.write(p, b.array());
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[1,2]|not a JSON object",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}|outside the data section",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,8]}}|needs 4 bytes",
        "{\"a\":{\"dtype\":\"Q9\",\"shape\":[1],\"data_offsets\":[0,4]}}|unknown dtype",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}|not a non-negative integer",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}|outside",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}|expected 2",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[9223372036854775807,4],\"data_offsets\":[0,4]}}|too large",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}|overlaps",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}|belong to no tensor",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}|not valid JSON",
        "{\"__metadata__\":{\"x\":1}}|not a string",
        "{\"a\":{\"dtype\":\"F32\"|not valid JSON",
    })
    void rejectsHostileHeaders(String caseAndMessage) throws IOException {
        String[] parts = caseAndMessage.split("\\|");
        Path p = withHeader(parts[0], 8);
        assertThatThrownBy(() -> SafetensorsFile.open(p).close())
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("bad.safetensors")
                .hasMessageContaining(parts[1]);
    }

    @Test
    void rejectsHeaderLengthBeyondTheFile() throws IOException {
        Path p = dir.resolve("bad.safetensors");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).putLong(0);
        Files.write(p, b.array());
        assertThatThrownBy(() -> SafetensorsFile.open(p)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("header length 18446744073709551615");
        Files.write(p, new byte[5]);
        assertThatThrownBy(() -> SafetensorsFile.open(p)).hasMessageContaining("too short");
    }

    @Test
    void rejectsDeepNesting() throws IOException {
        Path p = withHeader("{\"__metadata__\":" + "[".repeat(5000) + "]".repeat(5000) + "}", 0);
        assertThatThrownBy(() -> SafetensorsFile.open(p)).isInstanceOf(SafetensorsFormatException.class);
    }
}
