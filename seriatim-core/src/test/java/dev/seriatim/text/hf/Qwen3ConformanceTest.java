package dev.seriatim.text.hf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.text.tokenizer.Tokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/** The real Qwen3 tokenizer.json: ids must equal those of the reference JavaScript tokenizer
 * (see {@code src/test/resources/tokenizer/qwen3/README.md}). */
class Qwen3ConformanceTest {

    private static final String DIR = "/tokenizer/qwen3/";
    private static final JsonMapper JSON = ReferenceIds.JSON;
    static Tokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = HfTokenizerJson.read(new ByteArrayInputStream(read("tokenizer.json.gz").getBytes(StandardCharsets.UTF_8)),
                JSON.readTree(read("tokenizer_config.json")), 151936, -1);
    }

    static Stream<Arguments> cases() {
        return ReferenceIds.cases(DIR);
    }

    static String read(String file) {
        return ReferenceIds.read(DIR, file);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void encodesLikeTheReference(String text, int[] expected) {
        assertThat(tokenizer.encode(text)).as("text %s", text).containsExactly(expected);
        // lossless up to the NFC normalizer; special tokens decode to nothing
        if (!text.contains("<|")) {
            assertThat(tokenizer.decode(expected)).isEqualTo(Normalizer.normalize(text, Normalizer.Form.NFC));
        }
    }

    @Test
    void vocabularyMatchesTheEmbeddingAndSpecials() {
        assertThat(tokenizer.vocabSize()).isEqualTo(151936);
        assertThat(tokenizer.eosId()).isEqualTo(151645); // <|im_end|>
        assertThat(tokenizer.spec().addBos()).isFalse();
        assertThat(tokenizer.isControl(151644)).isTrue();
        assertThat(tokenizer.decode(tokenizer.encode("<think>x</think>"))).isEqualTo("<think>x</think>");
    }

    @Test
    void encodesAMegabyteOfProse() {
        String paragraph = "It was the best of times, it was the worst of times, 1775 and 1859; 42 chapters. "
                + "日本語のテキスト, café ☕ 😀\n";
        String text = paragraph.repeat((1 << 20) / paragraph.getBytes(StandardCharsets.UTF_8).length);
        tokenizer.encode(text);
        long t0 = System.nanoTime();
        int[] ids = tokenizer.encode(text);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("qwen3 encode: %d UTF-8 bytes -> %d tokens in %d ms%n",
                text.getBytes(StandardCharsets.UTF_8).length, ids.length, ms);
        assertThat(tokenizer.decode(ids)).isEqualTo(text);
    }
}
