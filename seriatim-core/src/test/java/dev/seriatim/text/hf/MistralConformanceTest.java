package dev.seriatim.text.hf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.text.tokenizer.Tokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The real Mistral 7B tokenizer.json (SentencePiece BPE with byte fallback): ids must equal those of the reference JavaScript tokenizer
 * (see {@code src/test/resources/tokenizer/mistral/README.md}). */
class MistralConformanceTest {

    private static final String DIR = "/tokenizer/mistral/";
    private static final JsonMapper JSON = ReferenceIds.JSON;
    static Tokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = HfTokenizerJson.read(new ByteArrayInputStream(read("tokenizer.json.gz").getBytes(StandardCharsets.UTF_8)),
                JSON.readTree(read("tokenizer_config.json")), 32000, -1);
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
        // lossless (byte fallback); control tokens decode to nothing
        if (!text.contains("<s>") && !text.contains("</s>")) {
            assertThat(tokenizer.decode(expected)).isEqualTo(text);
        }
    }

    /** The same vocabulary with a Metaspace pre-tokenizer instead of the normalizer. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"first", "always"})
    void metaspaceSchemesLikeTheReference(String scheme) {
        tools.jackson.databind.node.ObjectNode json = (tools.jackson.databind.node.ObjectNode) JSON.readTree(read("tokenizer.json.gz"));
        json.putNull("normalizer");
        json.putObject("pre_tokenizer").put("type", "Metaspace").put("replacement", "\u2581")
                .put("prepend_scheme", scheme).put("split", false);
        Tokenizer metaspace = HfTokenizerJson.build(json, JSON.readTree(read("tokenizer_config.json")), 32000, -1);
        Map<String, List<ReferenceIds.Case>> expected = JSON.readValue(read("metaspace_ids.json"),
                new TypeReference<Map<String, List<ReferenceIds.Case>>>() {});
        for (ReferenceIds.Case c : expected.get(scheme)) {
            assertThat(metaspace.encode(c.text())).as("%s: %s", scheme, c.text()).containsExactly(c.ids());
        }
    }

    @Test
    void specialsComeFromTheConfig() {
        assertThat(tokenizer.vocabSize()).isEqualTo(32000);
        assertThat(tokenizer.bosId()).isEqualTo(1);
        assertThat(tokenizer.eosId()).isEqualTo(2);
        assertThat(tokenizer.spec().addBos()).isTrue();
        assertThat(tokenizer.encodeWithSpecials("Hello")).containsExactly(1, 22557);
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
        System.out.printf("mistral encode: %d UTF-8 bytes -> %d tokens in %d ms%n",
                text.getBytes(StandardCharsets.UTF_8).length, ids.length, ms);
        assertThat(tokenizer.decode(ids)).isEqualTo(text);
    }
}
