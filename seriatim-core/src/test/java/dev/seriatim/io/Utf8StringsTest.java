package dev.seriatim.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Finding repeated strings by their bytes, and keeping out what UTF-8 cannot hold. */
class Utf8StringsTest {

    /** Random lists over a small alphabet, so repeats are common: the first repeat is what a map finds. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void firstRepeatIsTheOneAMapFinds(long seed) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(400);
        String alphabet = "ab\u00e9\u4e16\ud83d\ude00";
        Utf8Strings.Builder b = new Utf8Strings.Builder(4);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder s = new StringBuilder();
            for (int k = r.nextInt(6); k > 0; k--) {
                int c = r.nextInt(5);
                s.append(c < 4 ? alphabet.substring(c, c + 1) : alphabet.substring(4));
            }
            values.add(s.toString());
            b.add(s.toString());
        }
        Map<String, Integer> seen = new HashMap<>();
        int[] expected = null;
        for (int i = 0; i < n && expected == null; i++) {
            Integer before = seen.putIfAbsent(values.get(i), i);
            if (before != null) {
                expected = new int[] {before, i};
            }
        }
        Utf8Strings strings = b.build();
        assertThat(strings).containsExactlyElementsOf(values);
        assertThat(strings.firstRepeat()).isEqualTo(expected);
    }

    @Test
    void distinctStringsHaveNoRepeat() {
        assertThat(Utf8Strings.of().firstRepeat()).isNull();
        assertThat(Utf8Strings.of("", "a", "ab", "ba", "\u00e9").firstRepeat()).isNull();
        assertThat(Utf8Strings.of("a", "", "b", "").firstRepeat()).containsExactly(1, 3);
    }

    @Test
    void unpairedSurrogatesAreFoundAndNotAdded() {
        assertThat(Utf8Strings.unpairedSurrogate("ok \ud83d\ude00")).isEqualTo(-1);
        assertThat(Utf8Strings.unpairedSurrogate("a\ud800")).isEqualTo(1);
        assertThat(Utf8Strings.unpairedSurrogate("\udc00a")).isZero();
        assertThat(Utf8Strings.unpairedSurrogate("\ude00\ud83d")).isZero();
        assertThatThrownBy(() -> new Utf8Strings.Builder(1).add("x\ud800"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unpaired surrogate U+D800 at index 1");
    }
}
