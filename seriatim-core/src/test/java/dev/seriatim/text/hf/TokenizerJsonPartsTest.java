package dev.seriatim.text.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seriatim.text.tokenizer.Tokenizer;
import dev.seriatim.text.transformer.UnsupportedModelException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Streaming a tokenizer.json gives the parts a tree gives, and refuses malformed files by name. */
class TokenizerJsonPartsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static TokenizerJsonParts stream(String json) throws IOException {
        return TokenizerJsonParts.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** The real vocabularies: keys, ids and merges agree entry by entry, and so does the rest of the file. */
    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "llama3", "mistral"})
    void streamingGivesWhatTheTreeGives(String name) throws IOException {
        String text = ReferenceIds.read("/tokenizer/" + name + "/", "tokenizer.json.gz");
        TokenizerJsonParts tree = TokenizerJsonParts.fromTree(JSON.readTree(text));
        TokenizerJsonParts streamed = stream(text);
        assertThat(streamed.vocab()).hasSizeGreaterThan(30_000);
        assertThat(streamed.vocab().equals(tree.vocab())).as("same keys in the same order").isTrue();
        assertThat(java.util.Arrays.equals(streamed.vocabIds(), tree.vocabIds())).as("same ids").isTrue();
        assertThat(streamed.merges()).hasSizeGreaterThan(1_000);
        assertThat(streamed.merges().equals(tree.merges())).as("same merges in the same order").isTrue();
        JsonNode rest = tree.root().deepCopy();
        ((tools.jackson.databind.node.ObjectNode) rest.get("model")).remove(java.util.List.of("vocab", "merges"));
        assertThat(streamed.root()).isEqualTo(rest);
    }

    @Test
    void pairMergesBecomeStringsAndFieldOrderDoesNotMatter() throws IOException {
        String json = "{\"added_tokens\":[],\"model\":{\"merges\":[[\"a\",\"b\"],\"ab c\"],\"type\":\"BPE\","
                + "\"vocab\":{\"a\":0,\"b\":1,\"c\":3,\"ab\":2,\"abc\":4}}}";
        TokenizerJsonParts parts = stream(json);
        assertThat(parts.vocab()).containsExactly("a", "b", "c", "ab", "abc");
        assertThat(parts.vocabIds()).containsExactly(0, 1, 3, 2, 4);
        assertThat(parts.merges()).containsExactly("a b", "ab c");
        assertThat(parts.root().get("model").get("type").stringValue()).isEqualTo("BPE");
        assertThat(parts.root().get("model").has("vocab")).isFalse();
    }

    @Test
    void aMissingOrOddlyShapedVocabularyIsLeftToTheBuilder() throws IOException {
        assertThat(stream("{\"model\":{\"type\":\"Unigram\",\"vocab\":[[\"a\",-1.5]]}}").vocab()).isNull();
        assertThat(stream("{\"model\":{\"type\":\"BPE\"}}").vocab()).isNull();
        assertThat(stream("{\"model\":{\"type\":\"BPE\",\"vocab\":{},\"merges\":null}}").merges()).isEmpty();
        assertThatThrownBy(() -> HfTokenizerJson.read(in("{\"model\":{\"type\":\"Unigram\",\"vocab\":[[\"a\",-1.5]]}}"),
                null, 0, -1)).isInstanceOf(UnsupportedModelException.class).hasMessageContaining("'Unigram' is not supported");
        assertThatThrownBy(() -> HfTokenizerJson.read(in("{\"model\":{\"type\":\"BPE\",\"vocab\":[]},"
                + "\"pre_tokenizer\":{\"type\":\"ByteLevel\"}}"), null, 0, -1)).hasMessageContaining("model.vocab is not an object");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[1, 2]| is not a JSON object",
        "''| is not a JSON object",
        "{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0| is not valid JSON",
        "{\"model\":{}} {}| has more after its JSON object",
        "{\"model\":{\"vocab\":{\"a\":\"0\"}}}| model.vocab['a'] is not a token id",
        "{\"model\":{\"vocab\":{\"a\":-1}}}| model.vocab['a'] is not a token id",
        "{\"model\":{\"vocab\":{\"a\":16777216}}}| model.vocab['a'] is not a token id",
        "{\"model\":{\"vocab\":{\"a\":1e3}}}| model.vocab['a'] is not a token id",
        "{\"model\":{\"vocab\":{\"a\":12345678901}}}| model.vocab['a'] is not a token id",
        "{\"model\":{\"vocab\":{\"a\":{\"id\":1}}}}| model.vocab['a'] is not a token id",
        "{\"model\":{\"merges\":[\"a b\",[\"a\"]]}}| merge 1 is neither",
        "{\"model\":{\"merges\":[[\"a\",\"b\",\"c\"]]}}| merge 0 is neither",
        "{\"model\":{\"merges\":[7]}}| merge 0 is neither",
        "{\"model\":{\"merges\":[[\"a b\",\"c\"]]}}| merge 0 has a part containing a space",
        "{\"model\":{},\"model\":{}}| duplicate key 'model'",
        "{\"model\":{\"vocab\":{},\"vocab\":{}}}| duplicate key 'model.vocab'",
        "{\"model\":{\"type\":\"BPE\",\"type\":\"BPE\"}}| duplicate key 'model.type'",
        "{\"normalizer\":{\"a\":1,\"a\":2}}| is not valid JSON",
        "{\"model\":{\"vocab\":{\"a\":0,\"b\":1,\"a\":2}}}| duplicate key 'model.vocab['a']'",
        "{\"model\":{\"merges\":[\"\\ud800 b\"]}}| merge 0 holds an unpaired surrogate",
        "{\"model\":{\"merges\":[[\"a\",\"\\udc00\"]]}}| merge 0 holds an unpaired surrogate",
    })
    void malformedFilesAreRefusedByName(String json, String message) {
        assertThatThrownBy(() -> stream(json)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageStartingWith("tokenizer.json").hasMessageContaining(message);
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() {
        byte[] json = "{\"model\":{\"vocab\":{\"a?\":0}}}".getBytes(StandardCharsets.UTF_8);
        for (byte bad : new byte[] {(byte) 0xFF, (byte) 0x80, (byte) 0xC0}) {
            json[json.length - 7] = bad; // the '?'
            assertThatThrownBy(() -> TokenizerJsonParts.read(new ByteArrayInputStream(json)))
                    .isInstanceOf(UnsupportedModelException.class).hasMessage("tokenizer.json is not valid UTF-8");
        }
    }

    @Test
    void anUnpairedSurrogateInAnAddedTokenIsRefused() {
        String json = "{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0}},\"pre_tokenizer\":{\"type\":\"ByteLevel\"},"
                + "\"added_tokens\":[{\"id\":1,\"content\":\"x\\ud800\",\"special\":true}]}";
        assertThatThrownBy(() -> HfTokenizerJson.read(in(json), null, 0, -1))
                .hasMessage("tokenizer.json: added token 1 holds an unpaired surrogate, which is not text");
        assertThatThrownBy(() -> HfTokenizerJson.build(JSON.readTree(json), null, 0, -1))
                .hasMessage("tokenizer.json: added token 1 holds an unpaired surrogate, which is not text");
    }

    /** A failing read is an I/O error, not a malformed file. */
    @Test
    void readErrorsStayReadErrors() {
        byte[] start = "{\"model\":{\"vocab\":{\"a".getBytes(StandardCharsets.UTF_8);
        java.io.InputStream failing = new java.io.InputStream() {
            private int at;

            @Override
            public int read() throws IOException {
                if (at == 5000) {
                    throw new IOException("disk gone");
                }
                int b = at < start.length ? start[at] : 'a'; // then a key that goes on
                at++;
                return b;
            }
        };
        assertThatThrownBy(() -> TokenizerJsonParts.read(failing)).isExactlyInstanceOf(IOException.class).hasMessage("disk gone");
    }

    @Test
    void entryCountsAreBounded() throws IOException {
        String json = "{\"model\":{\"vocab\":{\"a\":0,\"b\":1,\"c\":2},\"merges\":[\"a b\",\"ab c\",\"b c\"]}}";
        assertThat(TokenizerJsonParts.read(in(json), 3).vocab()).hasSize(3);
        assertThatThrownBy(() -> TokenizerJsonParts.read(in(json.replace("\"c\":2", "\"c\":2,\"d\":3")), 3))
                .isInstanceOf(UnsupportedModelException.class).hasMessage("tokenizer.json: model.vocab has more than 3 entries");
        assertThatThrownBy(() -> TokenizerJsonParts.read(in(json.replace("\"b c\"", "\"b c\",\"a c\"")), 3))
                .hasMessage("tokenizer.json: model.merges has more than 3 entries");
    }

    @Test
    void twoTokensWithOneIdAreRefused() {
        String json = "{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"b\":0}},\"pre_tokenizer\":{\"type\":\"ByteLevel\"}}";
        assertThatThrownBy(() -> HfTokenizerJson.read(in(json), null, 0, -1))
                .hasMessageContaining("model.vocab gives id 0 to both 'a' and 'b'");
    }

    /** A vocabulary not listed by id still puts each token at its id, and the holes become unused tokens. */
    @Test
    void tokensLandAtTheirIdsWhateverTheOrder() throws IOException {
        String json = "{\"model\":{\"type\":\"BPE\",\"vocab\":{\"!\":1,\"\\\"\":0,\"#\":3},\"merges\":[]},"
                + "\"pre_tokenizer\":{\"type\":\"ByteLevel\",\"add_prefix_space\":false}}";
        Tokenizer t = HfTokenizerJson.read(in(json), null, 5, -1);
        assertThat(t.vocabSize()).isEqualTo(5);
        assertThat(t.encode("!\"#")).containsExactly(1, 0, 3);
        assertThat(t.piece(2)).isEqualTo("<seriatim:unused:2>");
        assertThat(t.piece(4)).isEqualTo("<seriatim:unused:4>");
    }

    private static ByteArrayInputStream in(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }
}
