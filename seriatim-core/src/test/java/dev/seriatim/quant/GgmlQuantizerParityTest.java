package dev.seriatim.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.tensor.GgmlType;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seriatim's quantizers against bytes written by ggml's own reference quantizers
 * ({@code ggml_quantize_chunk} without an importance matrix) on the same 4096 Gaussian values
 * (golden/ggml-ref.*, made by tools/reference/ggml_quantize_parity.c). Bit-exactness is not a
 * requirement of the K-quants (only their decoding must be exact), but today they match byte for
 * byte; if a change breaks that on purpose, compare the error instead and say so here.
 */
class GgmlQuantizerParityTest {

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q4_0", "Q8_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void bytesEqualGgmlsReferenceQuantizer(GgmlType type) throws Exception {
        float[] input = input();
        byte[] expected = resource("ggml-ref." + type.name().toLowerCase(Locale.ROOT) + ".bin");
        byte[] got = new byte[expected.length];
        BlockFormats.scalar(type).quantize(input, 0, input.length, MemorySegment.ofArray(got), 0);
        int blockBytes = type.blockBytes();
        for (int b = 0; b < expected.length / blockBytes; b++) {
            int at = b * blockBytes;
            assertThat(java.util.Arrays.copyOfRange(got, at, at + blockBytes)).as("%s block %d", type, b)
                    .isEqualTo(java.util.Arrays.copyOfRange(expected, at, at + blockBytes));
        }
    }

    private float[] input() throws Exception {
        byte[] raw = resource("ggml-ref.input.f32");
        float[] values = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    private byte[] resource(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/golden/" + name)) {
            return in.readAllBytes();
        }
    }
}
