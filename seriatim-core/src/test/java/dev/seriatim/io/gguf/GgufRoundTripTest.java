package dev.seriatim.io.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.tensor.GgmlType;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GgufRoundTripTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 8, 32, 64, 4096})
    void everyValueTypeAndTensorsSurviveARoundTrip(int alignment) throws IOException {
        GgufWriter writer = new GgufWriter();
        if (alignment > 0) {
            writer.putUInt32("general.alignment", alignment);
        }
        GgufSamples.everyValueType(writer);
        Random random = new Random(alignment);
        Map<String, byte[]> written = new LinkedHashMap<>();
        written.put("token_embd.weight", GgufSamples.tensorBytes(random, GgmlType.F32, 8, 3));
        written.put("blk.0.attn_norm.weight", GgufSamples.tensorBytes(random, GgmlType.F16, 16));
        written.put("blk.0.attn_q.weight", GgufSamples.tensorBytes(random, GgmlType.Q8_0, 64, 2));
        written.put("blk.0.ffn_up.weight", GgufSamples.tensorBytes(random, GgmlType.Q4_0, 32, 3, 2));
        writer.addTensor("token_embd.weight", GgmlType.F32, new long[] {8, 3}, written.get("token_embd.weight"));
        writer.addTensor("blk.0.attn_norm.weight", GgmlType.F16, new long[] {16}, written.get("blk.0.attn_norm.weight"));
        writer.addTensor("blk.0.attn_q.weight", GgmlType.Q8_0, new long[] {64, 2}, written.get("blk.0.attn_q.weight"));
        writer.addTensor("blk.0.ffn_up.weight", GgmlType.Q4_0, new long[] {32, 3, 2}, written.get("blk.0.ffn_up.weight"));
        Path file = dir.resolve("model.gguf");
        writer.write(file);

        int expectedAlignment = alignment == 0 ? 32 : alignment;
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.version()).isEqualTo(3);
            assertThat(gguf.path()).isEqualTo(file);
            assertThat(gguf.fileSize()).isEqualTo(Files.size(file));
            assertThat(gguf.alignment()).isEqualTo(expectedAlignment);
            assertThat(gguf.dataOffset() % expectedAlignment).isZero();
            assertThat(gguf.architecture()).isEqualTo("llama");

            GgufMetadata expected = GgufSamples.everyValueType(alignmentOnly(alignment)).metadataSnapshot();
            assertThat(gguf.metadata()).isEqualTo(expected);
            assertThat(List.copyOf(gguf.metadata().keys())).isEqualTo(List.copyOf(expected.keys()));
            for (String key : expected.keys()) {
                assertThat(gguf.metadata().get(key)).as(key).contains(expected.get(key).orElseThrow());
            }

            assertThat(gguf.tensors()).extracting(GgufTensorInfo::name).containsExactlyElementsOf(written.keySet());
            GgufTensorInfo q4 = gguf.tensor("blk.0.ffn_up.weight").orElseThrow();
            assertThat(q4.shape()).containsExactly(32, 3, 2);
            assertThat(q4.type()).isEqualTo(GgmlType.Q4_0);
            assertThat(q4.elementCount()).isEqualTo(192);
            assertThat(q4.byteSize()).isEqualTo(6 * 18);
            for (GgufTensorInfo t : gguf.tensors()) {
                assertThat(t.offset() % expectedAlignment).as(t.name()).isZero();
                assertThat(gguf.data(t).toArray(ValueLayout.JAVA_BYTE)).as(t.name()).isEqualTo(written.get(t.name()));
                assertThat(gguf.data(t).isReadOnly()).isTrue();
            }
            assertThat(gguf.tensor("missing")).isEmpty();
        }
        assertRewriteIsByteIdentical(file);
    }

    private static GgufWriter alignmentOnly(int alignment) {
        GgufWriter w = new GgufWriter();
        return alignment > 0 ? w.putUInt32("general.alignment", alignment) : w;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomContentSurvivesARoundTrip(long seed) throws IOException {
        Random random = new Random(seed);
        GgufWriter writer = new GgufWriter();
        Map<String, GgufValue> metadata = new LinkedHashMap<>();
        if (random.nextBoolean()) {
            metadata.put("general.alignment", GgufValue.uint32(1 << random.nextInt(10)));
        }
        int keys = random.nextInt(30);
        for (int i = 0; i < keys; i++) {
            metadata.put("key." + i + "." + RandomGguf.string(random), RandomGguf.value(random, 2));
        }
        metadata.forEach(writer::put);
        Map<String, byte[]> tensors = new LinkedHashMap<>();
        int tensorCount = random.nextInt(6);
        List<GgmlType> types = List.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q6_K);
        for (int i = 0; i < tensorCount; i++) {
            GgmlType type = types.get(random.nextInt(types.size()));
            long[] shape = new long[1 + random.nextInt(4)];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = 1 + random.nextInt(3);
            }
            shape[0] *= type.blockSize();
            byte[] data = GgufSamples.tensorBytes(random, type, shape);
            writer.addTensor("t" + i, type, shape, data);
            tensors.put("t" + i, data);
        }
        Path file = dir.resolve("random.gguf");
        writer.write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.metadata()).isEqualTo(GgufMetadata.of(metadata));
            assertThat(gguf.tensors()).hasSize(tensorCount);
            for (GgufTensorInfo t : gguf.tensors()) {
                assertThat(gguf.data(t).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(tensors.get(t.name()));
            }
        }
        assertRewriteIsByteIdentical(file);
    }

    @Test
    void emptyWriterGivesAValidFileWithNoTensors() throws IOException {
        Path file = dir.resolve("empty.gguf");
        new GgufWriter().write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.metadata().keys()).isEmpty();
            assertThat(gguf.tensors()).isEmpty();
            assertThat(gguf.fileSize()).isEqualTo(32);
            assertThat(gguf.dataOffset()).isEqualTo(32);
        }
    }

    /** Reads {@code file} and writes the same content again; the bytes must not change. */
    private void assertRewriteIsByteIdentical(Path file) throws IOException {
        Path copy = dir.resolve("copy.gguf");
        try (GgufFile gguf = GgufFile.open(file)) {
            GgufWriter writer = new GgufWriter();
            for (String key : gguf.metadata().keys()) {
                writer.put(key, gguf.metadata().get(key).orElseThrow());
            }
            List<GgufTensorInfo> tensors = new ArrayList<>(gguf.tensors());
            for (GgufTensorInfo t : tensors) {
                writer.addTensor(t.name(), t.type(), t.shape(), gguf.data(t).toArray(ValueLayout.JAVA_BYTE));
            }
            writer.write(copy);
        }
        assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(file));
    }
}
