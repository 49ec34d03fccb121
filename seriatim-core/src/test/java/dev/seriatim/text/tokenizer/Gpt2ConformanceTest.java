package dev.seriatim.text.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Real GPT-2 vocabulary: ids must equal those of the reference JavaScript encoder
 * (see {@code src/test/resources/tokenizer/gpt2/README.md}). */
class Gpt2ConformanceTest {

    private static final String DIR = "/tokenizer/gpt2/";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static ByteLevelBpeTokenizer tokenizer;

    record Case(String text, int[] ids) {}

    @BeforeAll
    static void load() {
        Map<String, Integer> encoder = JSON.readValue(gunzip("encoder.json.gz"),
                new TypeReference<Map<String, Integer>>() {});
        String[] tokens = new String[encoder.size()];
        encoder.forEach((text, id) -> tokens[id] = text);
        List<String> merges = new ArrayList<>();
        for (String line : gunzip("vocab.bpe.gz").split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#version")) {
                merges.add(line);
            }
        }
        int eot = encoder.get("<|endoftext|>");
        // no token types: the reference encoder treats <|endoftext|> as plain text
        tokenizer = new ByteLevelBpeTokenizer(new TokenizerSpec("gpt2", "gpt-2", java.util.Arrays.asList(tokens), null,
                null, merges, eot, eot, -1, -1, false, false, false));
    }

    static Stream<Arguments> cases() {
        List<Case> cases = JSON.readValue(resource("expected_ids.json"),
                new TypeReference<List<Case>>() {});
        return cases.stream().map(c -> Arguments.of(c.text(), c.ids()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void encodesLikeTheReference(String text, int[] expected) {
        assertThat(tokenizer.encode(text)).as("text %s", text).containsExactly(expected);
        assertThat(tokenizer.decode(expected)).isEqualTo(text);
    }

    @Test
    void encodesProseQuickly() {
        String paragraph = "It was the best of times, it was the worst of times, it was the age of "
                + "wisdom, it was the age of foolishness, it was the epoch of belief, it was the "
                + "epoch of incredulity, in 1775 and 1859; 42 chapters.\n";
        String text = paragraph.repeat((1 << 20) / paragraph.length() / 4); // about 256 KiB
        tokenizer.encode(text);
        long t0 = System.nanoTime();
        int[] ids = tokenizer.encode(text);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("gpt2 encode: %d chars -> %d tokens in %d ms%n", text.length(),
                ids.length, ms);
        assertThat(tokenizer.decode(ids)).isEqualTo(text);
    }

    private static String gunzip(String name) {
        try (InputStream in = new GZIPInputStream(Gpt2ConformanceTest.class
                .getResourceAsStream(DIR + name))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = Gpt2ConformanceTest.class.getResourceAsStream(DIR + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
