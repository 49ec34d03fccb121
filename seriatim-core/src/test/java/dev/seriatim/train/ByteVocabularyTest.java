package dev.seriatim.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.text.TextModel;
import dev.seriatim.text.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exported byte vocabulary, read back by the inference engine's SentencePiece tokenizer:
 * any text encodes to exactly its UTF-8 bytes and decodes back to itself.
 */
class ByteVocabularyTest {

    @TempDir
    static Path dir;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void textEncodesToItsBytesAndRoundTrips(int seed) throws Exception {
        Path gguf = dir.resolve("bytes.gguf");
        if (!gguf.toFile().exists()) {
            GptConfig c = GptConfig.llamaStyle(ByteVocabulary.SIZE, 32, 1, 2, 8, true);
            GgufExport.write(GptModel.initialized(c, 1), GgmlType.Q8_0, "bytes", gguf);
        }
        Random random = new Random(seed);
        // not U+2581 itself: SentencePiece reads it as a space, as it does in every llama vocabulary
        String alphabet = "ab  \n\txyz.,;éü中文🙂<>0x";
        StringBuilder text = new StringBuilder();
        int n = 1 + random.nextInt(60);
        for (int i = 0; i < n; i++) {
            text.appendCodePoint(alphabet.codePoints().toArray()[random.nextInt(alphabet.codePointCount(0,
                    alphabet.length()))]);
        }
        String s = text.toString();
        try (TextModel model = TextModel.open(gguf, 1, 0)) {
            Tokenizer tokenizer = model.tokenizer();
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            assertThat(tokenizer.encode(s)).containsExactly(ByteVocabulary.ids(bytes, 0, bytes.length));
            assertThat(tokenizer.decode(tokenizer.encode(s))).isEqualTo(s);
            assertThat(model.promptTokens(s)).containsExactly(tokenizer.encode(s)); // no BOS
        }
    }
}
