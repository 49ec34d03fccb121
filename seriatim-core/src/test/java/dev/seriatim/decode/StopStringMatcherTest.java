package dev.seriatim.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StopStringMatcherTest {

    @Test
    void aStopStringSplitAcrossPiecesIsFoundAndNotShown() {
        StopStringMatcher m = new StopStringMatcher(List.of("</s>"));
        assertThat(m.push("Hello <")).isEqualTo("Hello ");
        assertThat(m.push("/")).isEmpty();
        assertThat(m.push("s")).isEmpty();
        assertThat(m.push(">tail")).isEmpty();
        assertThat(m.stopped()).isTrue();
        assertThat(m.push("more")).isEmpty();
        assertThat(m.finish()).isEmpty();
    }

    @Test
    void heldTextIsReleasedWhenItStopsLookingLikeAStop() {
        StopStringMatcher m = new StopStringMatcher(List.of("STOP", "\n\n"));
        assertThat(m.push("ST")).isEmpty();
        assertThat(m.push("O")).isEmpty();
        assertThat(m.push("P?")).isEmpty();
        assertThat(m.stopped()).isTrue();
        StopStringMatcher n = new StopStringMatcher(List.of("STOP", "\n\n"));
        assertThat(n.push("STO")).isEmpty();
        assertThat(n.push("RM\n")).isEqualTo("STORM");
        assertThat(n.finish()).isEqualTo("\n");
    }

    @Test
    void theEarliestStopWins() {
        StopStringMatcher m = new StopStringMatcher(List.of("cd", "bcx"));
        assertThat(m.push("abcd")).isEqualTo("ab");
    }

    static LongStream seeds() {
        return LongStream.range(0, 300);
    }

    /** Property: for any text, split anywhere, the output is the text up to the first stop string. */
    @ParameterizedTest
    @MethodSource("seeds")
    void outputIsTheTextBeforeTheFirstStopString(long seed) {
        Random r = new Random(seed);
        String alphabet = "ab<>/ \n";
        List<String> stops = new ArrayList<>();
        for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
            stops.add(randomText(r, alphabet, 1 + r.nextInt(4)));
        }
        String text = randomText(r, alphabet, r.nextInt(40));
        int first = -1;
        for (int i = 0; i < text.length() && first < 0; i++) {
            for (String s : stops) {
                if (text.startsWith(s, i)) {
                    first = i;
                    break;
                }
            }
        }
        // (the matcher stops at the first stop string to arrive complete, which need not be the
        // one that starts first: with "abc" and "b", "ab" already stops at "b")
        StopStringMatcher m = new StopStringMatcher(stops);
        StringBuilder out = new StringBuilder();
        int pos = 0;
        while (pos < text.length()) {
            int len = 1 + r.nextInt(4);
            int end = Math.min(text.length(), pos + len);
            out.append(m.push(text.substring(pos, end)));
            pos = end;
            if (m.stopped()) {
                break;
            }
        }
        out.append(m.finish());
        if (first < 0) {
            assertThat(m.stopped()).isFalse();
            assertThat(out.toString()).isEqualTo(text);
        } else {
            assertThat(m.stopped()).isTrue();
            String shown = out.toString();
            // never shows any stop string, and is a prefix of the text ending where some stop starts
            for (String s : stops) {
                assertThat(shown).doesNotContain(s);
            }
            assertThat(text).startsWith(shown);
            assertThat(stops.stream().anyMatch(s -> text.startsWith(s, shown.length()))).isTrue();
        }
    }

    private static String randomText(Random r, String alphabet, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
