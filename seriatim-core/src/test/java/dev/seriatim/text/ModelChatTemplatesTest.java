package dev.seriatim.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.text.transformer.Architecture;
import dev.seriatim.text.transformer.RandomModelWriter;
import dev.seriatim.text.transformer.TinyModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default chat template and its named variants, from GGUF keys. */
class ModelChatTemplatesTest {

    @TempDir
    Path dir;

    @Test
    void ggufNamedVariantsAreFoundByName() throws Exception {
        Path gguf = dir.resolve("m.gguf");
        RandomModelWriter.write(TinyModels.config(Architecture.LLAMA, 300), GgmlType.F32, 1, 0.02,
                Map.of("tokenizer.chat_template", "D", "tokenizer.chat_template.tool_use", "T",
                        "tokenizer.chat_template.rag", "R", "tokenizer.chat_templates_note", "not a variant"), gguf);
        try (TextModel model = TextModel.open(gguf, 1, 0)) {
            ModelChatTemplates t = model.chatTemplates();
            assertThat(t.names()).containsExactly("default", "rag", "tool_use");
            assertThat(t.find("default")).contains("D");
            assertThat(t.find("tool_use")).contains("T");
            assertThat(t.find("rag")).contains("R");
            assertThat(t.find("nosuch")).isEmpty();
            assertThat(model.chatTemplate()).contains("D");
        }
    }

    @Test
    void aVariantNamedDefaultStandsInForAMissingDefault() throws Exception {
        Path gguf = dir.resolve("m.gguf");
        RandomModelWriter.write(TinyModels.config(Architecture.LLAMA, 300), GgmlType.F32, 1, 0.02,
                Map.of("tokenizer.chat_template.default", "D", "tokenizer.chat_template.tool_use", "T"), gguf);
        try (TextModel model = TextModel.open(gguf, 1, 0)) {
            assertThat(model.chatTemplate()).contains("D");
            assertThat(model.chatTemplates().names()).isEqualTo(List.of("default", "tool_use"));
        }
    }

    @Test
    void noTemplateAtAll() throws Exception {
        Path gguf = dir.resolve("m.gguf");
        RandomModelWriter.write(TinyModels.config(Architecture.LLAMA, 300), GgmlType.F32, 1, gguf);
        try (TextModel model = TextModel.open(gguf, 1, 0)) {
            assertThat(model.chatTemplates().names()).isEmpty();
            assertThat(model.chatTemplate()).isEmpty();
        }
    }
}
