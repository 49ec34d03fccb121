package dev.seriatim.text.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link TokenIdTable} against a {@code HashMap} filled in id order, whose last put (the
 * higher id) wins for a repeated text, as Vocabulary documents. */
class TokenIdTableTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 17, 1000, 40_000})
    void answersAsAHashMapWhereTheHigherIdOfARepeatedTextWins(int size) {
        Random random = new Random(size);
        String[] texts = new String[size];
        for (int i = 0; i < size; i++) {
            texts[i] = switch (random.nextInt(4)) {
                case 0 -> RandomText.next(random, 6);             // any script, may be empty
                case 1 -> shortText(random);                      // repeats often
                case 2 -> i > 0 ? texts[random.nextInt(i)] : "x"; // an earlier text again
                default -> collidingText(random);                 // equal String hash codes
            };
        }
        Map<String, Integer> reference = new HashMap<>();
        for (int id = 0; id < size; id++) {
            reference.put(texts[id], id);
        }
        TokenIdTable table = new TokenIdTable(java.util.Arrays.asList(texts));
        for (String text : texts) {
            assertThat(table.idOf(text)).as(text).isEqualTo(reference.get(text));
        }
        for (int i = 0; i < 5 * size + 100; i++) {
            String query = switch (i % 3) {
                case 0 -> RandomText.next(random, 6);
                case 1 -> shortText(random);
                default -> collidingText(random);
            };
            assertThat(table.idOf(query)).as(query).isEqualTo(reference.getOrDefault(query, -1));
        }
    }

    /** One or two characters from a small set mixing ASCII, Latin-1, U+2581 and an emoji. */
    private static String shortText(Random random) {
        String[] pieces = {"a", "b", "\u00e9", "\u2581", "\ud83d\ude00", " "};
        StringBuilder sb = new StringBuilder();
        for (int n = 1 + random.nextInt(2); n > 0; n--) {
            sb.append(pieces[random.nextInt(pieces.length)]);
        }
        return sb.toString();
    }

    /** "Aa" and "BB" share a String hash code, so all strings built from them collide by length. */
    private static String collidingText(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            sb.append(random.nextBoolean() ? "Aa" : "BB");
        }
        return sb.toString();
    }
}
