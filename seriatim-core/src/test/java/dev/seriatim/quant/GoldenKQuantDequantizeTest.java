package dev.seriatim.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.io.gguf.GgufFile;
import dev.seriatim.io.gguf.GgufTensorInfo;
import dev.seriatim.tensor.GgmlType;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * K-quant dequantization against the independent numpy decoder of tools/reference/gguf_reader.py
 * ({@code dequantize_k}, written from ggml's layouts), on the tensors of golden/kquants.gguf
 * ({@link KQuantFixtureWriter}). Decoding is exact in float32: values must be equal, bit for bit.
 */
class GoldenKQuantDequantizeTest {

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q4_K", "Q5_K", "Q6_K", "Q4_1", "Q5_0", "Q5_1"})
    void dequantizedValuesEqualTheReference(GgmlType type) throws Exception {
        String name = type.name().toLowerCase(java.util.Locale.ROOT);
        JsonNode expected;
        try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream("/golden/kquants." + name + ".json.gz"))) {
            expected = JsonMapper.builder().build().readTree(in);
        }
        Path model = Path.of(getClass().getResource("/golden/kquants.gguf").toURI());
        try (GgufFile file = GgufFile.open(model)) {
            GgufTensorInfo t = file.tensor(name).orElseThrow();
            assertThat(t.type()).isEqualTo(type);
            int n = Math.toIntExact(t.elementCount());
            assertThat(expected.size()).isEqualTo(n);
            for (BlockFormat format : new BlockFormat[] {BlockFormats.scalar(type), BlockFormats.of(type)}) {
                int cols = (int) t.shape()[0];
                long rowBytes = format.rowBytes(cols);
                float[] got = new float[n];
                for (int r = 0; r < n / cols; r++) {
                    format.dequantize(file.data(t), r * rowBytes, got, r * cols, cols);
                }
                for (int i = 0; i < n; i++) {
                    assertThat(Float.floatToIntBits(got[i])).as("%s element %d", format.getClass().getSimpleName(), i)
                            .isEqualTo(Float.floatToIntBits(expected.get(i).floatValue()));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q4_K", "Q5_K", "Q6_K", "Q4_1", "Q5_0", "Q5_1"})
    void theFixtureIsWhatTheQuantizerWritesToday(GgmlType type) throws Exception {
        // If the quantizer changes, regenerate the fixture (make_golden_fixtures.sh) so the
        // golden values keep testing what Seriatim writes, not only what it once wrote.
        Path model = Path.of(getClass().getResource("/golden/kquants.gguf").toURI());
        try (GgufFile file = GgufFile.open(model)) {
            GgufTensorInfo t = file.tensor(type.name().toLowerCase(java.util.Locale.ROOT)).orElseThrow();
            float[] values = KQuantFixtureWriter.values(new java.util.Random(20261128L + type.id()));
            BlockFormat format = BlockFormats.scalar(type);
            byte[] bytes = new byte[Math.toIntExact(t.byteSize())];
            long rowBytes = format.rowBytes(KQuantFixtureWriter.COLS);
            for (int r = 0; r < KQuantFixtureWriter.ROWS; r++) {
                format.quantize(values, r * KQuantFixtureWriter.COLS, KQuantFixtureWriter.COLS,
                        java.lang.foreign.MemorySegment.ofArray(bytes), r * rowBytes);
            }
            assertThat(bytes).isEqualTo(file.data(t).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        }
    }
}
