package dev.seriatim.text.tokenizer;

import static dev.seriatim.text.tokenizer.TestVocabularies.spmByteId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SentencePieceBpeTokenizerTest {

    @Test
    void mergesTheHighestScoringPairFirst() {
        TestVocabularies.SentencePiece v = new TestVocabularies.SentencePiece(true);
        v.addSpacePrefix = false;
        int a = v.piece("a", -5);
        int b = v.piece("b", -5);
        int c = v.piece("c", -5);
        int ab = v.piece("ab", -1);
        int bc = v.piece("bc", -2);
        assertThat(v.build().encode("abc")).containsExactly(ab, c);

        TestVocabularies.SentencePiece w = new TestVocabularies.SentencePiece(true);
        w.addSpacePrefix = false;
        int a2 = w.piece("a", -5);
        w.piece("b", -5);
        w.piece("c", -5);
        w.piece("ab", -2);
        int bc2 = w.piece("bc", -1);
        assertThat(w.build().encode("abc")).containsExactly(a2, bc2);
        assertThat(b).isNotEqualTo(bc);
        assertThat(a).isNotEqualTo(ab);
    }

    @Test
    void equalScoresMergeLeftmostFirst() {
        TestVocabularies.SentencePiece v = new TestVocabularies.SentencePiece(true);
        v.addSpacePrefix = false;
        int a = v.piece("a", -5);
        int aa = v.piece("aa", -1);
        assertThat(v.build().encode("aaa")).containsExactly(aa, a);
    }

    @Test
    void buildsWordsThroughIntermediatePiecesAndPrefixesASpace() {
        TestVocabularies.SentencePiece v = new TestVocabularies.SentencePiece(true);
        int space = v.piece("\u2581", -1);
        int h = v.piece("h", -2);
        v.piece("e", -2);
        v.piece("l", -2);
        int o = v.piece("o", -2);
        v.piece("ll", -1.5f);
        v.piece("he", -1.8f);
        int hell = v.piece("hell", -4);
        int hello = v.piece("hello", -5);
        int spaceHello = v.piece("\u2581hello", -6);
        int spaceH = v.piece("\u2581h", -3);
        SentencePieceBpeTokenizer t = v.build();
        // ▁ h e l l o: ll, he, hell, hello, ▁hello
        assertThat(t.encode("hello")).containsExactly(spaceHello);
        assertThat(t.encode("hello hello")).containsExactly(spaceHello, spaceHello);
        assertThat(t.encode("hell o")).containsExactly(space, hell, space, o);
        assertThat(t.encode("h")).containsExactly(spaceH);
        assertThat(t.decode(t.encode("hello hello"))).isEqualTo("hello hello");
        assertThat(t.decode(new int[] {spaceHello})).isEqualTo("hello");
        assertThat(t.tokenBytes(spaceHello)).isEqualTo(" hello".getBytes(StandardCharsets.UTF_8));

        v.addSpacePrefix = false;
        SentencePieceBpeTokenizer noPrefix = v.build();
        assertThat(noPrefix.encode("hello")).containsExactly(hello);
        assertThat(noPrefix.encode(" h")).containsExactly(spaceH);
        assertThat(noPrefix.decode(new int[] {spaceH, hello})).isEqualTo(" hhello");
        assertThat(h).isNotEqualTo(spaceH);
    }

    @Test
    void unknownCharactersFallBackToByteTokens() {
        TestVocabularies.SentencePiece v = new TestVocabularies.SentencePiece(true);
        int space = v.piece("\u2581", -1);
        SentencePieceBpeTokenizer t = v.build();
        // U+1F600 is F0 9F 98 80 in UTF-8
        assertThat(t.encode("\uD83D\uDE00")).containsExactly(space, spmByteId(0xF0),
                spmByteId(0x9F), spmByteId(0x98), spmByteId(0x80));
        assertThat(t.tokenBytes(spmByteId(0x9F))).containsExactly((byte) 0x9F);
        assertThat(t.decode(t.encode("\uD83D\uDE00"))).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void withoutByteTokensAnUnknownCharacterBecomesOneUnknownToken() {
        TestVocabularies.SentencePiece v = new TestVocabularies.SentencePiece(false);
        v.addSpacePrefix = false;
        int x = v.piece("x", -1);
        SentencePieceBpeTokenizer t = v.build();
        assertThat(t.encode("x\uD83D\uDE00x")).containsExactly(x, 0, x);
        assertThat(t.decode(new int[] {0})).isEqualTo("\u2585");

        v.unk = -1;
        SentencePieceBpeTokenizer noUnk = v.build();
        assertThatThrownBy(() -> noUnk.encode("\u00E9")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+E9");
    }

    @Test
    void specialTokensAreSplitOutAndTheSpacePrefixFollowsThemAsInLlamaCpp() {
        TestVocabularies.SentencePiece v = new TestVocabularies.SentencePiece(true);
        int space = v.piece("\u2581", -1);
        int h = v.piece("h", -2);
        int i = v.piece("i", -2);
        int spaceH = v.piece("\u2581h", -3);
        int imStart = v.add("<|im_start|>", 0, TokenTypes.CONTROL);
        int sep = v.add("<sep>", 0, TokenTypes.USER_DEFINED);
        SentencePieceBpeTokenizer t = v.build();

        assertThat(t.encode("<s>hi")).containsExactly(1, spaceH, i);
        assertThat(t.encode("hi</s>hi")).containsExactly(spaceH, i, 2, spaceH, i);
        assertThat(t.encode("<|im_start|>h<sep>i")).containsExactly(imStart, spaceH, sep, space, i);
        assertThat(t.decode(t.encode("<|im_start|>h<sep>i"))).isEqualTo("h<sep> i");

        v.addSpacePrefix = false;
        assertThat(v.build().encode("<s>hi</s>")).containsExactly(1, h, i, 2);
    }

    @Test
    void encodeWithSpecialsAddsBosAndTheLeadingSpaceStillDecodesAway() {
        TestVocabularies.SentencePiece v = new TestVocabularies.SentencePiece(true);
        int spaceH = v.piece("\u2581h", -3);
        v.piece("\u2581", -1);
        v.piece("h", -2);
        v.addEos = true;
        SentencePieceBpeTokenizer t = v.build();
        int[] ids = t.encodeWithSpecials("h");
        assertThat(ids).containsExactly(1, spaceH, 2);
        assertThat(t.decode(ids)).isEqualTo("h");
        assertThat(t.encodeWithSpecials("")).containsExactly(1, 2);
        assertThat(t.isControl(1)).isTrue();
        assertThat(t.isControl(spaceH)).isFalse();
        assertThat(t.tokenBytes(1)).isEmpty();
        assertThat(t.piece(spaceH)).isEqualTo("\u2581h");
    }

    static Stream<Long> seeds() {
        return IntStream.range(0, 40).mapToObj(i -> 0xABCDL + i);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void decodeInvertsEncodeForRandomText(long seed) {
        Random random = new Random(seed);
        TestVocabularies.SentencePiece v = new TestVocabularies.SentencePiece(true);
        v.addSpacePrefix = seed % 2 == 0;
        v.piece("\u2581", -1);
        v.piece("\u2581\u2581", -2);
        v.piece("t", -3);
        v.piece("h", -3);
        v.piece("e", -3);
        v.piece("th", -2);
        v.piece("\u2581the", -1.5f);
        v.piece("the", -2.5f);
        v.piece("\u4E00", -4);
        v.piece("\u00FC", -4);
        SentencePieceBpeTokenizer t = v.build();
        for (int i = 0; i < 25; i++) {
            String s = RandomText.next(random, 40);
            assertThat(t.decode(t.encode(s))).as("seed %d text %s", seed, s).isEqualTo(s);
            assertThat(t.decode(t.encodeWithSpecials(s))).isEqualTo(s);
        }
        assertThat(t.encode("")).isEmpty();
    }
}
