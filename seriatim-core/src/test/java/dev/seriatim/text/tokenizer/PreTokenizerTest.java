package dev.seriatim.text.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Expected splits are derived by hand from the regex definitions (leftmost alternative that
 * matches wins, each quantifier greedy with backtracking). */
class PreTokenizerTest {

    static Stream<Arguments> splits() {
        return Stream.of(
                // GPT-2: lower-case contractions only, digit runs whole, one space joins a word
                Arguments.of("gpt-2", "I'm don't we'll", List.of("I", "'m", " don", "'t", " we", "'ll")),
                Arguments.of("gpt-2", "HE'S", List.of("HE", "'", "S")),
                Arguments.of("gpt-2", "12345 abc", List.of("12345", " abc")),
                Arguments.of("gpt-2", "hello  world", List.of("hello", " ", " world")),
                Arguments.of("gpt-2", "a\n\nb", List.of("a", "\n", "\n", "b")),
                Arguments.of("gpt-2", "end   ", List.of("end", "   ")),
                Arguments.of("gpt-2", "$12.50!!", List.of("$", "12", ".", "50", "!!")),
                Arguments.of("gpt-2", "  1", List.of(" ", " 1")),
                Arguments.of("gpt-2", "x\u3000y", List.of("x", "\u3000", "y")),
                Arguments.of("default", "ok?!", List.of("ok", "?!")),
                // Llama 3: case-insensitive contractions, digits by three, newline handling
                Arguments.of("llama-bpe", "HE'S 12345", List.of("HE", "'S", " ", "123", "45")),
                Arguments.of("llama-bpe", "hello  world", List.of("hello", " ", " world")),
                Arguments.of("llama-bpe", "a\n\nb", List.of("a", "\n\n", "b")),
                Arguments.of("llama-bpe", "x  \n y", List.of("x", "  \n", " y")),
                Arguments.of("llama-bpe", "(hello)", List.of("(hello", ")")),
                Arguments.of("llama-bpe", "end   ", List.of("end", "   ")),
                Arguments.of("llama-bpe", "...\n\nfoo", List.of("...\n\n", "foo")),
                Arguments.of("llama3", "1234567", List.of("123", "456", "7")),
                // Qwen2: like Llama 3 with single digits
                Arguments.of("qwen2", "HE'S 12345", List.of("HE", "'S", " ", "1", "2", "3", "4", "5")),
                Arguments.of("qwen2", "a\n\nb  ", List.of("a", "\n\n", "b", "  ")),
                // SmolLM: digits cut out first, then GPT-2 inside each piece
                Arguments.of("smollm", "  1", List.of("  ", "1")),
                Arguments.of("smollm", "a12 b", List.of("a", "1", "2", " b")),
                // cl100k_base: contractions fold case by Unicode rules (U+017F LONG S matches s),
                // newline runs end at their last newline, a whitespace run ending the text is whole
                Arguments.of("cl100k_base", "x'\u017Ft", List.of("x", "'\u017F", "t")),
                Arguments.of("cl100k_base", "DON'T", List.of("DON", "'T")),
                Arguments.of("cl100k_base", "a  \n\n b", List.of("a", "  \n\n", " b")),
                Arguments.of("cl100k_base", "x  ", List.of("x", "  ")),
                Arguments.of("cl100k_base", "1234567", List.of("123", "456", "7")),
                // o200k_base: words by case (an upper run then a lower run), contractions attached
                Arguments.of("o200k_base", "it'\u017F ok", List.of("it'\u017F", " ok")),
                Arguments.of("o200k_base", "HelloWorld XMLHttp", List.of("Hello", "World", " XMLHttp")),
                Arguments.of("o200k_base", "a/b/\n", List.of("a", "/b", "/\n")),
                Arguments.of("o200k_base", "12345", List.of("123", "45")));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void splitsAsTheRegexDefines(String pre, String text, List<String> expected) {
        assertThat(PreTokenizer.forName(pre).split(text)).isEqualTo(expected);
    }

    static Stream<Long> seeds() {
        return IntStream.range(0, 20).mapToObj(i -> 0xC0FFEEL + i);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void wordsCoverTheTextExactly(long seed) {
        Random random = new Random(seed);
        for (String pre : List.of("gpt-2", "llama3", "qwen2", "smollm", "cl100k_base", "o200k_base")) {
            String s = RandomText.next(random, 60);
            List<String> words = PreTokenizer.forName(pre).split(s);
            assertThat(String.join("", words)).isEqualTo(s);
            assertThat(words).allSatisfy(w -> assertThat(w).isNotEmpty());
        }
    }

    @org.junit.jupiter.api.Test
    void nullMeansGpt2() {
        assertThat(PreTokenizer.forName(null).name()).isEqualTo("gpt-2");
    }
}
