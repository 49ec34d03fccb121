package dev.seriatim.io.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged files (truncations, flipped bytes, edited header text) either open, with every
 * tensor's bytes readable, or fail with {@link SafetensorsFormatException}: never another
 * exception, an out-of-bounds read or a hang.
 */
class SafetensorsFuzzTest {

    @TempDir
    Path dir;

    static Stream<Long> seeds() {
        return IntStream.range(0, 300).mapToObj(i -> 0x5AFEL * 1000 + i);
    }

    private static byte[] base(Random r) {
        SafetensorsWriter w = new SafetensorsWriter().putMetadata("format", "pt");
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            int rows = 1 + r.nextInt(3);
            int cols = 1 + r.nextInt(5);
            float[] v = new float[rows * cols];
            w.addF32("model.layers." + i + ".weight", new long[] {rows, cols}, v);
        }
        return w.toBytes();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void damagedFilesFailCleanly(long seed) throws IOException {
        Random r = new Random(seed);
        byte[] bytes = base(r);
        switch (r.nextInt(4)) {
            case 0 -> bytes = java.util.Arrays.copyOf(bytes, r.nextInt(bytes.length));
            case 1 -> {
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    bytes[r.nextInt(bytes.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 2 -> {
                // edit a digit of the header: offsets and shapes stay syntactically valid JSON
                String s = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
                int[] digits = IntStream.range(8, Math.min(bytes.length, 8 + 400))
                        .filter(i -> Character.isDigit(s.charAt(i))).toArray();
                if (digits.length > 0) {
                    bytes[digits[r.nextInt(digits.length)]] = (byte) ('0' + r.nextInt(10));
                }
            }
            default -> bytes[r.nextInt(8)] = (byte) r.nextInt(256);
        }
        Path p = dir.resolve("f.safetensors");
        Files.write(p, bytes);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            for (SafetensorsTensor t : f.tensors()) {
                assertThat(f.data(t).toArray(ValueLayout.JAVA_BYTE)).hasSize((int) t.byteSize());
            }
        } catch (SafetensorsFormatException expected) {
            assertThat(expected.getMessage()).startsWith("f.safetensors: ");
        }
    }
}
