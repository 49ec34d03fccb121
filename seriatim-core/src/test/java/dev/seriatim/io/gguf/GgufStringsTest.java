package dev.seriatim.io.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seriatim.io.Utf8Strings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STRING arrays kept as UTF-8 bytes read back exactly as the Strings they replace: the same
 * elements (lenient decoding included), the same equality, hash code and text, whether built
 * from Strings or read from a file.
 */
class GgufStringsTest {

    @TempDir
    Path dir;

    /** Short random strings over ASCII, two-, three- and four-byte characters and the empty string. */
    private static String[] randomStrings(Random r, int n) {
        String[] pool = {"a", "Z", " ", "é", "▁", "中", "😀", "\u0000", "Ġ"};
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = r.nextInt(6); k > 0; k--) {
                b.append(pool[r.nextInt(pool.length)]);
            }
            out[i] = b.toString();
        }
        return out;
    }

    @Test
    void holdsTheStringsItWasGiven() {
        String[] values = randomStrings(new Random(3), 500);
        Utf8Strings strings = Utf8Strings.of(values);
        assertThat(strings).containsExactly(values);
        assertThat(strings).isEqualTo(Arrays.asList(values)).hasSameHashCodeAs(Arrays.asList(values));
        assertThat(strings.byteSize()).isEqualTo(String.join("", values).getBytes(StandardCharsets.UTF_8).length);
        assertThat(strings.indexOf(null)).isEqualTo(-1);
        assertThat(strings.contains(values[7])).isTrue();
        assertThat(Utf8Strings.of()).isEmpty();
        assertThatThrownBy(() -> strings.get(500)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> strings.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> strings.set(0, "x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Utf8Strings.of("a", null)).hasMessageContaining("null element #1");
    }

    /**
     * equalsAt agrees with decoding and comparing, on well-formed strings (against themselves,
     * a copy with one char changed, a prefix, a longer string) and on random bytes, most of them
     * not UTF-8 (overlong forms, surrogates, cut sequences, stray continuation bytes).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void equalsAtAgreesWithDecodingAndComparing(long seed) {
        Random r = new Random(seed);
        String[] words = randomStrings(r, 200);
        Utf8Strings.Builder builder = new Utf8Strings.Builder(words.length + 200);
        for (String w : words) {
            byte[] b = w.getBytes(StandardCharsets.UTF_8);
            builder.add(b, 0, b.length);
        }
        for (int i = 0; i < 200; i++) {
            byte[] b = new byte[r.nextInt(7)];
            for (int k = 0; k < b.length; k++) {
                // mostly lead and continuation bytes, with some ASCII
                b[k] = (byte) (r.nextInt(4) == 0 ? r.nextInt(0x80) : 0x80 + r.nextInt(0x80));
            }
            builder.add(b, 0, b.length);
        }
        Utf8Strings strings = builder.build();
        for (int i = 0; i < strings.size(); i++) {
            String s = strings.get(i);
            String other = strings.get(r.nextInt(strings.size()));
            String[] probes = {s, other, s + "a", s.isEmpty() ? "x" : s.substring(0, s.length() - 1),
                    s.isEmpty() ? "" : s.substring(0, s.length() - 1) + (char) (s.charAt(s.length() - 1) ^ 1),
                    "\uFFFD", new String(new char[] {'\uD83D'})};
            for (String probe : probes) {
                assertThat(strings.equalsAt(i, probe)).as("string %d against '%s'", i, probe).isEqualTo(s.equals(probe));
            }
        }
    }

    @Test
    void anArrayOfStringsKeepsThemCompactAndStillComparesAsBefore() {
        String[] values = randomStrings(new Random(4), 50);
        GgufArray fromStrings = GgufArray.ofStrings(values);
        GgufArray fromList = new GgufArray(GgufValueType.STRING, Utf8Strings.of(values));
        assertThat(fromStrings).isEqualTo(fromList).hasSameHashCodeAs(fromList);
        assertThat(fromStrings.length()).isEqualTo(50);
        assertThat((String[]) fromStrings.values()).containsExactly(values);
        assertThat(fromStrings.values()).isNotSameAs(fromStrings.values()); // a fresh array each time
        assertThat(fromStrings.strings()).isSameAs(fromStrings.strings()); // the list itself, shared
        assertThat(GgufArray.ofStrings("x", "yz").toString()).isEqualTo("STRING[2][x, yz]");
        assertThatThrownBy(() -> GgufArray.ofInt32(1).strings()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new GgufArray(GgufValueType.STRING, new int[1]))
                .hasMessageContaining("String[] or Utf8Strings");
    }

    @Test
    void readFromAFileEqualToTheStringsWrittenIncludingBytesThatAreNotUtf8() throws Exception {
        String[] values = randomStrings(new Random(5), 300);
        byte[] invalid = {'a', (byte) 0xC3, 'b', (byte) 0xFF}; // a cut two-byte sequence and a byte UTF-8 never uses
        GgufBytes bytes = GgufBytes.header(3, 0, 1).string("tokens").u32(GgufValueType.ARRAY.id())
                .u32(GgufValueType.STRING.id()).u64(values.length + 1);
        for (String v : values) {
            bytes.string(v);
        }
        bytes.u64(invalid.length).raw(invalid);
        Path file = dir.resolve("strings.gguf");
        Files.write(file, bytes.toByteArray());
        try (GgufFile gguf = GgufFile.open(file)) {
            List<String> read = gguf.metadata().getStringList("tokens");
            assertThat(read).isInstanceOf(Utf8Strings.class).hasSize(values.length + 1);
            assertThat(read.subList(0, values.length)).containsExactly(values);
            // decoded as new String(bytes, UTF_8) decodes them: U+FFFD for what is not UTF-8
            assertThat(read.get(values.length)).isEqualTo(new String(invalid, StandardCharsets.UTF_8))
                    .isEqualTo("a\uFFFDb\uFFFD");
            assertThat(gguf.metadata().getStringArray("tokens")).containsExactlyElementsOf(read);
            assertThat(gguf.metadata().findStringList("absent")).isEmpty();
        }
    }
}
