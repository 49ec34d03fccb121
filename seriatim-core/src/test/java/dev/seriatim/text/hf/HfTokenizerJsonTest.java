package dev.seriatim.text.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seriatim.text.tokenizer.Tokenizer;
import dev.seriatim.text.transformer.UnsupportedModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** tokenizer.json shapes on a tiny byte-level vocabulary: merge forms, added tokens, and clear refusals. */
class HfTokenizerJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The 256 byte symbols of GPT-2's table, then "Ġh", "Ġhi"; merges given as {@code merges}. */
    private static String tokenizerJson(String merges, String preTokenizer, String extra) {
        StringBuilder vocab = new StringBuilder();
        int id = 0;
        for (int b = 0; b < 256; b++) {
            int c = b >= 33 && b <= 126 || b >= 161 && b <= 172 || b >= 174 ? b : 256 + countBelow(b);
            vocab.append(id == 0 ? "" : ",").append(JSON.writeValueAsString(new String(Character.toChars(c)))).append(":").append(id++);
        }
        vocab.append(",\"\u0120h\":").append(id++).append(",\"\u0120hi\":").append(id);
        return "{\"model\":{\"type\":\"BPE\",\"vocab\":{" + vocab + "},\"merges\":" + merges + "},"
                + "\"pre_tokenizer\":" + preTokenizer + ",\"normalizer\":null,"
                + "\"added_tokens\":[{\"id\":258,\"content\":\"<|end|>\",\"special\":true},"
                + "{\"id\":259,\"content\":\"<tool>\",\"special\":false}]" + extra + "}";
    }

    /** GPT-2's byte-to-unicode table maps the n-th unprintable byte to 256 + n. */
    private static int countBelow(int b) {
        int n = 0;
        for (int x = 0; x < b; x++) {
            if (!(x >= 33 && x <= 126 || x >= 161 && x <= 172 || x >= 174)) {
                n++;
            }
        }
        return n;
    }

    private static Tokenizer build(String json, int minVocab) {
        JsonNode config = JSON.readTree("{\"eos_token\": \"<|end|>\"}");
        return HfTokenizerJson.build(JSON.readTree(json), config, minVocab, -1);
    }

    private static final String BYTE_LEVEL = "{\"type\":\"ByteLevel\",\"add_prefix_space\":false}";

    @Test
    void stringAndPairMergesAreTheSame() {
        Tokenizer strings = build(tokenizerJson("[\"\u0120 h\",\"\u0120h i\"]", BYTE_LEVEL, ""), 0);
        Tokenizer pairs = build(tokenizerJson("[[\"\u0120\",\"h\"],[\"\u0120h\",\"i\"]]", BYTE_LEVEL, ""), 0);
        assertThat(strings.encode("a hi")).containsExactly(pairs.encode("a hi")).containsExactly('a', 257);
        assertThat(strings.encode("x<|end|> hi<tool>")).containsExactly('x', 258, 257, 259);
        assertThat(strings.decode(strings.encode("x<|end|> hi<tool>"))).isEqualTo("x hi<tool>");
        assertThat(strings.eosId()).isEqualTo(258);
    }

    @Test
    void embeddingRowsBeyondTheVocabularyBecomeUnusedTokens() {
        Tokenizer t = build(tokenizerJson("[]", BYTE_LEVEL, ""), 300);
        assertThat(t.vocabSize()).isEqualTo(300);
        assertThat(t.decode(new int[] {299})).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        "{\"type\":\"Whitespace\"} => pre_tokenizer",
        "{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Split\",\"pattern\":{\"Regex\":\"\\\\w+\"},\"behavior\":\"Isolated\"},{\"type\":\"ByteLevel\"}]} => regex is not one Seriatim knows",
        "{\"type\":\"ByteLevel\",\"add_prefix_space\":true} => add_prefix_space",
    })
    void unsupportedPreTokenizersAreRefusedByName(String pre, String message) {
        assertThatThrownBy(() -> build(tokenizerJson("[]", pre, ""), 0))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining(message);
    }

    @Test
    void malformedPartsAreRefused() {
        assertThatThrownBy(() -> build(tokenizerJson("[[\"a\"]]", BYTE_LEVEL, ""), 0)).hasMessageContaining("merge 0");
        assertThatThrownBy(() -> build(tokenizerJson("[]", BYTE_LEVEL, "").replace("\"<|end|>\",", "\"<|end|>\",")
                .replace("\"id\":258", "\"id\":-4"), 0)).hasMessageContaining("not a token id");
        assertThatThrownBy(() -> build("{\"model\":{\"type\":\"Unigram\"}}", 0)).hasMessageContaining("Unigram");
        assertThatThrownBy(() -> build(tokenizerJson("[]", BYTE_LEVEL, "").replace("\"special\":false}",
                "\"special\":false,\"rstrip\":true}"), 0)).hasMessageContaining("'<tool>' sets rstrip");
        assertThatThrownBy(() -> build(tokenizerJson("[]", BYTE_LEVEL, "").replace("\"normalizer\":null",
                "\"normalizer\":{\"type\":\"NFKC\"}"), 0)).hasMessageContaining("NFKC");
    }
}
