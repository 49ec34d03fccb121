package dev.seriatim.text.tokenizer;

import static dev.seriatim.text.tokenizer.TestVocabularies.byteId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ByteLevelBpeTokenizerTest {

    @Test
    void mergesApplyLowestRankFirstUntilTheWordIsOneToken() {
        TestVocabularies.ByteLevel v = new TestVocabularies.ByteLevel();
        v.merge("h", "e");
        int ll = v.merge("l", "l");
        v.merge("he", "ll");
        int hello = v.merge("hell", "o");
        ByteLevelBpeTokenizer t = v.build();

        assertThat(t.encode("hello")).containsExactly(hello);
        // "hellx": he, ll -> hell; "hell x" has no merge.
        assertThat(t.encode("hellx")).containsExactly(hello - 1, byteId('x'));
        assertThat(t.encode("lol")).containsExactly(byteId('l'), byteId('o'), byteId('l'));
        assertThat(t.encode("ll")).containsExactly(ll);
    }

    @Test
    void mergeOrderDecidesTheSplit() {
        TestVocabularies.ByteLevel elFirst = new TestVocabularies.ByteLevel();
        int el = elFirst.merge("e", "l");
        int he = elFirst.merge("h", "e");
        TestVocabularies.ByteLevel heFirst = new TestVocabularies.ByteLevel();
        int he2 = heFirst.merge("h", "e");
        int el2 = heFirst.merge("e", "l");

        assertThat(elFirst.build().encode("hel")).containsExactly(byteId('h'), el);
        assertThat(heFirst.build().encode("hel")).containsExactly(he2, byteId('l'));
        assertThat(he).isNotEqualTo(el);
        assertThat(el2).isNotEqualTo(he2);
    }

    @Test
    void equalRanksMergeLeftmostFirst() {
        TestVocabularies.ByteLevel v = new TestVocabularies.ByteLevel();
        int aa = v.merge("a", "a");
        ByteLevelBpeTokenizer t = v.build();
        assertThat(t.encode("aaa")).containsExactly(aa, byteId('a'));
        assertThat(t.encode("aaaa")).containsExactly(aa, aa);
    }

    @Test
    void spacesAreSpelledWithTheByteTableAndMergeWithTheFollowingWord() {
        TestVocabularies.ByteLevel v = new TestVocabularies.ByteLevel();
        int spaceH = v.merge("\u0120", "h");
        int spaceHi = v.merge("\u0120h", "i");
        ByteLevelBpeTokenizer t = v.build();
        // GPT-2 words: "hi", " hi", " ", " hi"? No: "hi hi  hi" -> "hi", " hi", " ", " hi"
        assertThat(t.encode("hi hi  hi")).containsExactly(byteId('h'), byteId('i'), spaceHi,
                byteId(' '), spaceHi);
        assertThat(t.piece(spaceH)).isEqualTo("\u0120h");
        assertThat(t.tokenBytes(spaceHi)).isEqualTo(" hi".getBytes(StandardCharsets.UTF_8));
        assertThat(t.tokenBytes(byteId(0xFF))).containsExactly((byte) 0xFF);
        assertThat(t.tokenBytes(byteId('\n'))).containsExactly((byte) '\n');
    }

    @Test
    void mergesDoNotCrossWordBoundaries() {
        TestVocabularies.ByteLevel v = new TestVocabularies.ByteLevel();
        int ab = v.merge("a", "b");
        ByteLevelBpeTokenizer t = v.build();
        // "a" and "b" are in different GPT-2 words when separated by a digit boundary: "a1b"
        assertThat(t.encode("ab")).containsExactly(ab);
        assertThat(t.encode("a1b")).containsExactly(byteId('a'), byteId('1'), byteId('b'));
    }

    @Test
    void specialTokensAreSplitOutLongestFirst() {
        TestVocabularies.ByteLevel v = new TestVocabularies.ByteLevel();
        int imStart = v.add("<|im_start|>", TokenTypes.CONTROL);
        int im = v.add("<|im", TokenTypes.USER_DEFINED);
        int end = v.add("<|end|>", TokenTypes.CONTROL);
        ByteLevelBpeTokenizer t = v.build();

        assertThat(t.encode("<|im_start|>x<|im<|end|><|im_start|>")).containsExactly(
                imStart, byteId('x'), im, end, imStart);
        assertThat(t.isControl(imStart)).isTrue();
        assertThat(t.isControl(im)).isFalse();
        assertThat(t.tokenBytes(imStart)).isEmpty();
        assertThat(t.tokenBytes(im)).isEqualTo("<|im".getBytes(StandardCharsets.UTF_8));
        assertThat(t.decode(t.encode("a<|im_start|>b<|im"))).isEqualTo("ab<|im");
    }

    @Test
    void encodeWithSpecialsAddsBosAndEosAsTheSpecAsks() {
        TestVocabularies.ByteLevel v = new TestVocabularies.ByteLevel();
        int bos = v.add("<|begin|>", TokenTypes.CONTROL);
        int eos = v.add("<|end|>", TokenTypes.CONTROL);
        v.bos = bos;
        v.eos = eos;
        v.addBos = true;
        ByteLevelBpeTokenizer t = v.build();
        assertThat(t.encodeWithSpecials("a")).containsExactly(bos, byteId('a'));
        assertThat(t.encode("a")).containsExactly(byteId('a'));
        v.addEos = true;
        assertThat(v.build().encodeWithSpecials("")).containsExactly(bos, eos);
        assertThat(t.bosId()).isEqualTo(bos);
        assertThat(t.eosId()).isEqualTo(eos);
    }

    @Test
    void llama3TakesAWholeWordTokenWithoutMerging() {
        TestVocabularies.ByteLevel v = new TestVocabularies.ByteLevel();
        v.pre = "llama-bpe";
        int ab = v.merge("a", "b");
        int whole = v.add("abc", TokenTypes.NORMAL); // no merge produces "abc"
        assertThat(v.build().encode("abc")).containsExactly(whole);
        v.pre = "gpt-2";
        assertThat(v.build().encode("abc")).containsExactly(ab, byteId('c'));
    }

    @Test
    void rejectsUnknownPreTokenizerAndMalformedMerges() {
        TestVocabularies.ByteLevel v = new TestVocabularies.ByteLevel();
        v.pre = "klingon";
        assertThatThrownBy(v::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("klingon").hasMessageContaining("llama-bpe")
                .hasMessageContaining("qwen2").hasMessageContaining("gpt-2");
        TestVocabularies.ByteLevel w = new TestVocabularies.ByteLevel();
        w.merges.add("nospace");
        assertThatThrownBy(w::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("merges[0]");
    }

    static Stream<Long> seeds() {
        return IntStream.range(0, 40).mapToObj(i -> 0x5EED0000L + i);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void decodeInvertsEncodeForRandomText(long seed) {
        Random random = new Random(seed);
        TestVocabularies.ByteLevel v = new TestVocabularies.ByteLevel();
        v.pre = switch ((int) (seed % 4)) {
            case 0 -> "gpt-2";
            case 1 -> "llama-bpe";
            case 2 -> "qwen2";
            default -> "smollm";
        };
        // a few merges so that multi-byte symbols occur, including ones inside UTF-8 characters
        v.merge("\u0120", "t");
        v.merge("\u0120t", "h");
        v.merge("h", "e");
        v.merge("\u00E4", "\u00B8"); // bytes E4 B8: first two bytes of many CJK characters
        v.merge("\u00F0", "\u0141"); // F0 9F: emoji lead
        ByteLevelBpeTokenizer t = v.build();
        for (int i = 0; i < 25; i++) {
            String s = RandomText.next(random, 40);
            assertThat(t.decode(t.encode(s))).as("seed %d text %s", seed, s).isEqualTo(s);
        }
        assertThat(t.encode("")).isEmpty();
    }
}
