package dev.seriatim.text.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.text.hf.ReferenceIds;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OpenAI's cl100k_base and o200k_base rank files: ids must equal those of the npm package
 * gpt-tokenizer, both for the shared reference strings and for the package's own known-good
 * cases, and those of OpenAI's tiktoken for the same strings plus the cases where the package
 * departs from tiktoken (see {@code src/test/resources/tokenizer/cl100k_base/README.md}).
 */
class TiktokenConformanceTest {

    private static final Map<TiktokenEncoding, Tokenizer> LOADED = new EnumMap<>(TiktokenEncoding.class);

    /** The encoding's tokenizer, built once from the committed rank file. */
    static synchronized Tokenizer tokenizer(TiktokenEncoding encoding) {
        return LOADED.computeIfAbsent(encoding, e -> {
            String name = e.encodingName();
            String resource = "/tokenizer/" + name + "/" + name + ".tiktoken.gz";
            try (InputStream in = new GZIPInputStream(TiktokenConformanceTest.class.getResourceAsStream(resource))) {
                return Tokenizers.from(e.spec(TiktokenFile.read(in, resource), resource));
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        });
    }

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> all = Stream.builder();
        for (TiktokenEncoding e : TiktokenEncoding.values()) {
            String dir = "/tokenizer/" + e.encodingName() + "/";
            for (String file : new String[] {"expected_ids.json", "test_plans.json", "tiktoken_ids.json"}) {
                for (ReferenceIds.Case c : ReferenceIds.list(dir, file)) {
                    all.add(Arguments.of(e, file, c.text(), c.ids()));
                }
            }
        }
        return all.build();
    }

    @ParameterizedTest(name = "{0} {1} [{index}]")
    @MethodSource("cases")
    void encodesLikeTheReference(TiktokenEncoding encoding, String file, String text, int[] expected) {
        Tokenizer tokenizer = tokenizer(encoding);
        assertThat(tokenizer.encode(text)).as("text %s", text).containsExactly(expected);
        // lossless, except that special tokens (control tokens) decode to nothing
        String plain = text;
        for (String special : encoding.specialTokens().keySet()) {
            plain = plain.replace(special, "");
        }
        assertThat(tokenizer.decode(expected)).isEqualTo(plain);
    }

    @Test
    void cl100kVocabularyAndSpecialTokens() {
        Tokenizer t = tokenizer(TiktokenEncoding.CL100K_BASE);
        assertThat(t.vocabSize()).isEqualTo(100_277); // tiktoken's n_vocab
        assertThat(t.eosId()).isEqualTo(100_257);
        assertThat(t.bosId()).isEqualTo(-1);
        assertThat(t.encode("<|fim_suffix|><|endofprompt|>")).containsExactly(100_260, 100_276);
        assertThat(t.isControl(100_276)).isTrue();
        assertThat(t.tokenBytes(100_256)).isEmpty(); // ids between the ranks and the specials are unused
        assertThat(t.spec().tokenType(100_270)).isEqualTo(TokenTypes.UNUSED);
    }

    @Test
    void o200kVocabularyAndSpecialTokens() {
        Tokenizer t = tokenizer(TiktokenEncoding.O200K_BASE);
        assertThat(t.vocabSize()).isEqualTo(200_019);
        assertThat(t.eosId()).isEqualTo(199_999);
        // tiktoken's o200k_base (openai_public.py); gpt-tokenizer numbers it differently
        assertThat(t.encode("a<|endofprompt|>")).endsWith(200_018);
        // not an o200k_base special token: plain text
        assertThat(t.encode("<|fim_prefix|>")).hasSizeGreaterThan(1);
    }
}
