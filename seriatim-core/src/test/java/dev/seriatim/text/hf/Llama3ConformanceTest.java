package dev.seriatim.text.hf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.text.tokenizer.Tokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/** The real Llama 3 tokenizer.json (128k byte-level BPE, merges ignored for whole-word tokens): ids must equal those of the reference JavaScript tokenizer
 * (see {@code src/test/resources/tokenizer/llama3/README.md}). */
class Llama3ConformanceTest {

    private static final String DIR = "/tokenizer/llama3/";
    private static final JsonMapper JSON = ReferenceIds.JSON;
    static Tokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = HfTokenizerJson.read(new ByteArrayInputStream(read("tokenizer.json.gz").getBytes(StandardCharsets.UTF_8)),
                JSON.readTree(read("tokenizer_config.json")), 128256, -1);
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
        // lossless; special tokens decode to nothing
        if (!text.contains("<|")) {
            assertThat(tokenizer.decode(expected)).isEqualTo(text);
        }
    }

    @Test
    void vocabularyAndSpecials() {
        assertThat(tokenizer.vocabSize()).isEqualTo(128256);
        assertThat(tokenizer.spec().pre()).isEqualTo("llama3");
        assertThat(tokenizer.bosId()).isEqualTo(128000); // <|begin_of_text|>
        assertThat(tokenizer.isControl(128009)).isTrue(); // <|eot_id|>
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
        System.out.printf("llama3 encode: %d UTF-8 bytes -> %d tokens in %d ms%n",
                text.getBytes(StandardCharsets.UTF_8).length, ids.length, ms);
        assertThat(tokenizer.decode(ids)).isEqualTo(text);
    }
}
