package dev.seriatim.text.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class IncrementalDecoderTest {

    @Test
    void holdsBackACharacterSplitAcrossByteTokens() {
        TestVocabularies.ByteLevel v = new TestVocabularies.ByteLevel();
        ByteLevelBpeTokenizer t = v.build();
        IncrementalDecoder d = new IncrementalDecoder(t);
        assertThat(d.push('a')).isEqualTo("a");
        assertThat(d.push(0xF0)).isEmpty();
        assertThat(d.push(0x9F)).isEmpty();
        assertThat(d.push(0x98)).isEmpty();
        assertThat(d.push(0x80)).isEqualTo("\uD83D\uDE00");
        assertThat(d.push(0xE4)).isEmpty();
        assertThat(d.flush()).isEqualTo("\uFFFD");
        assertThat(d.flush()).isEmpty();
    }

    @Test
    void releasesBytesThatCanNoLongerBecomeACharacter() {
        ByteLevelBpeTokenizer t = new TestVocabularies.ByteLevel().build();
        IncrementalDecoder d = new IncrementalDecoder(t);
        assertThat(d.push(0xE0)).isEmpty();
        // E0 must be followed by A0..BF; 0x80 makes both bytes invalid
        assertThat(d.push(0x80)).isEqualTo(t.decode(new int[] {0xE0, 0x80}));
        assertThat(d.push(0x80)).isEqualTo("\uFFFD");
        assertThat(d.push(0xC3)).isEmpty();
        assertThat(d.push('x')).isEqualTo("\uFFFDx");
    }

    @Test
    void dropsTheSentencePieceLeadingSpaceOnce() {
        TestVocabularies.SentencePiece v = new TestVocabularies.SentencePiece(true);
        int spaceA = v.piece("\u2581a", -1);
        SentencePieceBpeTokenizer t = v.build();
        IncrementalDecoder d = new IncrementalDecoder(t);
        assertThat(d.push(1)).isEmpty(); // BOS contributes nothing
        assertThat(d.push(spaceA)).isEqualTo("a");
        assertThat(d.push(spaceA)).isEqualTo(" a");
    }

    static Stream<Long> seeds() {
        return IntStream.range(0, 30).mapToObj(i -> 0xDEC0DEL + i);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void concatenatedPushesEqualDecodeForByteLevel(long seed) {
        Random random = new Random(seed);
        TestVocabularies.ByteLevel v = new TestVocabularies.ByteLevel();
        v.merge("\u00E4", "\u00B8");
        v.merge("\u00F0", "\u0141");
        v.add("<|eot|>", TokenTypes.CONTROL);
        v.add("<tool>", TokenTypes.USER_DEFINED);
        ByteLevelBpeTokenizer t = v.build();
        for (int round = 0; round < 20; round++) {
            int[] ids = randomIds(random, t);
            assertThat(streamed(t, ids)).isEqualTo(t.decode(ids));
            String text = RandomText.next(random, 30);
            assertThat(streamed(t, t.encode(text))).isEqualTo(text);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void concatenatedPushesEqualDecodeForSentencePiece(long seed) {
        Random random = new Random(seed);
        TestVocabularies.SentencePiece v = new TestVocabularies.SentencePiece(true);
        v.addSpacePrefix = seed % 3 != 0;
        v.piece("\u2581", -1);
        v.piece("\u2581x", -1);
        v.piece("\u00E9", -1);
        v.add("<tool>", 0, TokenTypes.USER_DEFINED);
        SentencePieceBpeTokenizer t = v.build();
        for (int round = 0; round < 20; round++) {
            int[] ids = randomIds(random, t);
            assertThat(streamed(t, ids)).isEqualTo(t.decode(ids));
            String text = RandomText.next(random, 30);
            assertThat(streamed(t, t.encodeWithSpecials(text))).isEqualTo(text);
        }
    }

    /** Mostly tokens of valid UTF-8 split into bytes, with random single bytes and other
     * tokens mixed in. */
    private static int[] randomIds(Random random, Tokenizer t) {
        List<Integer> ids = new ArrayList<>();
        int n = random.nextInt(30);
        for (int i = 0; i < n; i++) {
            if (random.nextInt(4) == 0) {
                ids.add(random.nextInt(t.vocabSize()));
                continue;
            }
            String s = RandomText.next(random, 3);
            for (int id : t.encode(s)) {
                ids.add(id);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String streamed(Tokenizer t, int[] ids) {
        IncrementalDecoder d = new IncrementalDecoder(t);
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            String part = d.push(id);
            assertThat(part.isEmpty() || !Character.isHighSurrogate(part.charAt(part.length() - 1)))
                    .as("never half a character").isTrue();
            sb.append(part);
        }
        return sb.append(d.flush()).toString();
    }
}
