package dev.seriatim.text.hf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.text.ModelChatTemplates;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** tokenizer_config.json's chat_template: one string, or a list of named templates. */
class HfChatTemplatesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aStringIsTheDefault() {
        ModelChatTemplates t = HfModelFolder.chatTemplates(JSON.readTree("{\"chat_template\": \"X\"}"));
        assertThat(t.names()).containsExactly("default");
        assertThat(t.find("default")).contains("X");
    }

    @Test
    void aListNamesItsTemplates() {
        ModelChatTemplates t = HfModelFolder.chatTemplates(JSON.readTree("""
                {"chat_template": [{"name": "tool_use", "template": "T"}, {"name": "default", "template": "D"},
                                   {"name": "rag", "template": "R"}, {"name": "broken"}]}"""));
        assertThat(t.names()).containsExactly("default", "rag", "tool_use");
        assertThat(t.defaultTemplate()).contains("D");
        assertThat(t.find("tool_use")).contains("T");
        assertThat(t.find("broken")).isEmpty();
    }

    @Test
    void noneWithoutTheKey() {
        assertThat(HfModelFolder.chatTemplates(JSON.readTree("{}")).names()).isEmpty();
        assertThat(HfModelFolder.chatTemplates(null).names()).isEmpty();
    }
}
