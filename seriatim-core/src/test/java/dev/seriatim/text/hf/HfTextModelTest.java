package dev.seriatim.text.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.text.TextModel;
import dev.seriatim.text.tokenizer.RandomText;
import dev.seriatim.text.transformer.Architecture;
import dev.seriatim.text.transformer.RandomModelWriter;
import dev.seriatim.text.transformer.TinyModels;
import dev.seriatim.text.transformer.UnsupportedModelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TextModel.open on a folder: the same model as the GGUF it was converted from, tokenizer included. */
class HfTextModelTest {

    @TempDir
    static Path dir;
    static Path gguf;
    static Path folder;

    @BeforeAll
    static void write() throws Exception {
        gguf = dir.resolve("m.gguf");
        RandomModelWriter.write(TinyModels.config(Architecture.LLAMA, 700), GgmlType.F16, 5, 0.3, gguf);
        folder = dir.resolve("hf");
        HfFolders.fromGguf(gguf, folder, 2);
    }

    @Test
    void folderTokenizesAndPredictsLikeTheGguf() throws Exception {
        try (TextModel a = TextModel.open(gguf, 1, 0); TextModel b = TextModel.open(folder, 2, 0)) {
            assertThat(b.file()).isNull();
            assertThat(b.chatTemplate()).isPresent();
            assertThat(b.stopTokens()).contains(2);
            Random r = new Random(9);
            for (int i = 0; i < 50; i++) {
                String text = RandomText.next(r, 1 + r.nextInt(40));
                assertThat(b.promptTokens(text)).as(text).containsExactly(a.promptTokens(text));
                assertThat(b.tokenizer().decode(b.tokenizer().encode(text))).isEqualTo(text);
            }
            int[] tokens = a.promptTokens("the quick brown fox");
            float[] la = a.transformer().append(a.transformer().newState(), tokens, 0, tokens.length).clone();
            float[] lb = b.transformer().append(b.transformer().newState(), tokens, 0, tokens.length).clone();
            for (int i = 0; i < la.length; i++) {
                assertThat(lb[i]).isCloseTo(la[i], org.assertj.core.data.Offset.offset(1e-3f));
            }
        }
    }

    @Test
    void missingPiecesAreNamed() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> TextModel.open(empty, 1, 0)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("config.json");
        Path noTok = Files.createDirectories(dir.resolve("notok"));
        Files.copy(folder.resolve("config.json"), noTok.resolve("config.json"));
        assertThatThrownBy(() -> TextModel.open(noTok, 1, 0)).hasMessageContaining("tokenizer.json");
        Files.copy(folder.resolve("tokenizer.json"), noTok.resolve("tokenizer.json"));
        assertThatThrownBy(() -> TextModel.open(noTok, 1, 0)).hasMessageContaining(".safetensors");
        Files.writeString(noTok.resolve("model.safetensors.index.json"), "{\"weight_map\": {\"a\": \"../x.safetensors\"}}");
        assertThatThrownBy(() -> TextModel.open(noTok, 1, 0)).hasMessageContaining("not a file name in the folder");
    }
}
