package dev.seriatim.text.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerSpecTest {

    private static final String[] TOKENS = {"<unk>", "<s>", "</s>", "a"};

    private static TokenizerSpec spec(String model, float[] scores, int[] types, int bos,
            boolean addBos) {
        return new TokenizerSpec(model, null, Arrays.asList(TOKENS), scores, types, null, bos, 2, 0, -1, addBos,
                false, true);
    }

    @Test
    void acceptsConsistentData() {
        TokenizerSpec s = spec("llama", new float[4], new int[] {2, 3, 3, 1}, 1, true);
        assertThat(s.vocabSize()).isEqualTo(4);
        assertThat(s.tokenType(1)).isEqualTo(TokenTypes.CONTROL);
        assertThat(spec("llama", null, null, 1, true).tokenType(1)).isEqualTo(TokenTypes.NORMAL);
        assertThat(s.toString()).contains("vocabSize=4");
    }

    @Test
    void rejectsLengthMismatchesAndIdsOutOfRange() {
        assertThatThrownBy(() -> spec("llama", new float[3], null, 1, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scores has 3");
        assertThatThrownBy(() -> spec("llama", null, new int[5], 1, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokenTypes has 5");
        assertThatThrownBy(() -> spec("llama", null, new int[] {1, 1, 9, 1}, 1, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokenTypes[2]");
        assertThatThrownBy(() -> spec("llama", null, null, 4, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bosId = 4");
        assertThatThrownBy(() -> spec("llama", null, null, -1, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("addBos");
        assertThatThrownBy(() -> new TokenizerSpec("llama", null, List.of(), null, null, null,
                -1, -1, -1, -1, false, false, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void factoryPicksTheTokenizerByModel() {
        assertThat(Tokenizers.from(spec("llama", null, null, 1, true)))
                .isInstanceOf(SentencePieceBpeTokenizer.class);
        assertThat(Tokenizers.from(new TestVocabularies.ByteLevel().spec()))
                .isInstanceOf(ByteLevelBpeTokenizer.class);
        assertThatThrownBy(() -> Tokenizers.from(spec("xyz", null, null, 1, true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tokenizer model 'xyz' is not supported (supported: gpt2, llama, tiktoken)");
        Tokenizer t = Tokenizers.from(spec("llama", null, null, 1, true));
        assertThatThrownBy(() -> t.piece(4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token id 4");
    }
}
