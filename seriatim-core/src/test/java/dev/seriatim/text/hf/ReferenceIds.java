package dev.seriatim.text.hf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.provider.Arguments;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The files of one real-vocabulary conformance fixture under {@code src/test/resources/tokenizer/}:
 * the vocabulary (often gzipped) and {@code expected_ids.json}, the ids the package's own
 * JavaScript tokenizer produced for each string. Shared by the conformance tests of every package.
 */
public final class ReferenceIds {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    public record Case(String text, int[] ids) {}

    private ReferenceIds() {
    }

    /** A fixture file as text, gunzipped when its name ends in .gz. */
    public static String read(String dir, String name) {
        try (InputStream raw = ReferenceIds.class.getResourceAsStream(dir + name);
                InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** (text, expected ids) pairs of the fixture, as parameterized-test arguments. */
    public static Stream<Arguments> cases(String dir) {
        return list(dir, "expected_ids.json").stream().map(c -> Arguments.of(c.text(), c.ids()));
    }

    /** The (text, expected ids) pairs of a fixture file in the {@code expected_ids.json} format. */
    public static List<Case> list(String dir, String name) {
        return JSON.readValue(read(dir, name), new TypeReference<List<Case>>() {});
    }
}
