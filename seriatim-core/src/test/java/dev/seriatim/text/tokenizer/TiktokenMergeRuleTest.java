package dev.seriatim.text.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** tiktoken's merge rule on a hand-made vocabulary, expected ids worked out by hand. */
class TiktokenMergeRuleTest {

    // ids are ranks: a=0 b=1 c=2 x=3 bc=4 ab=5 abc=6 aa=7
    private static final String[] TOKENS = {"a", "b", "c", "x", "bc", "ab", "abc", "aa"};

    private static Tokenizer tokenizer() {
        int[] types = new int[TOKENS.length];
        Arrays.fill(types, TokenTypes.NORMAL);
        return Tokenizers.from(new TokenizerSpec("tiktoken", "cl100k_base", Arrays.asList(TOKENS), null, types, null,
                -1, -1, -1, -1, false, false, false));
    }

    @Test
    void aPairRanksAsTheTokenOfItsConcatenationWhicheverWayItSplits() {
        // abcx: pairs ab=5, bc=4, cx=none -> merge bc; then a+bc makes abc (rank 6) although
        // abc could also split as ab+c; then abc+x is no token
        assertThat(tokenizer().encode("abcx")).containsExactly(6, 3);
    }

    @Test
    void equalRanksMergeLeftmostFirst() {
        // aaa: both pairs are aa (rank 7); the left one merges, leaving a
        assertThat(tokenizer().encode("aaax")).containsExactly(7, 0, 3);
    }

    @Test
    void aTiktokenSpecMustNotListMerges() {
        int[] types = new int[TOKENS.length];
        Arrays.fill(types, TokenTypes.NORMAL);
        TokenizerSpec spec = new TokenizerSpec("tiktoken", "cl100k_base", Arrays.asList(TOKENS), null, types,
                List.of("a b"), -1, -1, -1, -1, false, false, false);
        assertThatThrownBy(() -> Tokenizers.from(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes its merges from the token ranks");
    }
}
