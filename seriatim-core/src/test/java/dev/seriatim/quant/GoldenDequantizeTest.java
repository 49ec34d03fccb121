package dev.seriatim.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.io.gguf.GgufFile;
import dev.seriatim.io.gguf.GgufTensorInfo;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Dequantization against the independent numpy decoder of tools/reference/gguf_dequant.py, on
 * tensors written by Seriatim's quantizer. Every format decodes exactly in float32, so the
 * values must be equal, not close.
 */
class GoldenDequantizeTest {

    @ParameterizedTest
    @ValueSource(strings = {"llama-q8_0", "llama-q4_0", "llama-f16", "llama-bf16"})
    void dequantizedValuesEqualTheReference(String name) throws Exception {
        JsonNode expected;
        try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream("/golden/" + name + ".attn_q.json.gz"))) {
            expected = JsonMapper.builder().build().readTree(in);
        }
        Path model = Path.of(getClass().getResource("/golden/" + name + ".gguf").toURI());
        try (GgufFile file = GgufFile.open(model)) {
            GgufTensorInfo t = file.tensor("blk.0.attn_q.weight").orElseThrow();
            int n = Math.toIntExact(t.elementCount());
            assertThat(expected.size()).isEqualTo(n);
            for (BlockFormat format : new BlockFormat[] {BlockFormats.scalar(t.type()), BlockFormats.of(t.type())}) {
                float[] got = new float[n];
                int cols = (int) t.shape()[0];
                long rowBytes = format.rowBytes(cols);
                for (int r = 0; r < n / cols; r++) {
                    format.dequantize(file.data(t), r * rowBytes, got, r * cols, cols);
                }
                for (int i = 0; i < n; i++) {
                    assertThat(got[i]).as("%s element %d", format.getClass().getSimpleName(), i)
                            .isEqualTo(expected.get(i).floatValue());
                }
            }
        }
    }
}
