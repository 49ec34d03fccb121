package dev.seriatim.text.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real chat templates (Llama 3/3.1/3.2, Qwen2.5, Qwen3, Mistral Nemo, Hermes 3, Phi-3.5,
 * DeepSeek-R1-Distill-Qwen, Gemma 2, ChatML) rendered for every case of
 * {@code tools/reference/chat_template_cases.json} must equal the renders of the npm package
 * {@code @huggingface/jinja} ({@code tools/reference/chat_template_reference.js}), and fail where
 * the template raises an error.
 */
class ChatTemplateConformanceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Expected(String template, String caseName, String output, String error) {}

    /**
     * Where @huggingface/jinja errors but Python's Jinja2 (which transformers uses) does not:
     * Jinja2 iterates an undefined variable as empty; so do we.
     */
    private static boolean jsStricterThanJinja2(Expected e) {
        return e.error() != null && e.error().startsWith("Expected iterable or object type in for loop: got UndefinedValue");
    }

    static Stream<Arguments> renders() {
        List<Map<String, String>> all = JSON.readValue(read("/chat/expected_renders.json"),
                new TypeReference<List<Map<String, String>>>() {});
        return all.stream().map(m -> new Expected(m.get("template"), m.get("case"), m.get("output"), m.get("error")))
                .map(e -> Arguments.of(e.template(), e.caseName(), e));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("renders")
    void rendersLikeTheReference(String template, String caseName, Expected expected) {
        Map<String, Object> spec = JSON.readValue(read("/chat/cases.json"), new TypeReference<Map<String, Object>>() {});
        @SuppressWarnings("unchecked")
        Map<String, Object> variables = new LinkedHashMap<>(((Map<String, Map<String, Object>>) spec.get("variables"))
                .getOrDefault(template, Map.of()));
        @SuppressWarnings("unchecked")
        Map<String, Object> c = ((List<Map<String, Object>>) spec.get("cases")).stream()
                .filter(x -> x.get("name").equals(caseName)).findFirst().orElseThrow();
        if (c.containsKey("tools")) {
            variables.put("tools", c.get("tools"));
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> messages = new ArrayList<>((List<Map<String, Object>>) c.get("messages"));
        ChatTemplate t = ChatTemplate.parse(read("/chat/templates/" + template + ".jinja"));
        boolean agp = (Boolean) c.get("add_generation_prompt");
        if (expected.output() != null) {
            assertThat(t.render(messages, agp, variables)).isEqualTo(expected.output());
        } else if (jsStricterThanJinja2(expected)) {
            assertThat(t.render(messages, agp, variables)).isNotEmpty();
        } else {
            assertThatThrownBy(() -> t.render(messages, agp, variables))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageContaining(expected.error());
        }
    }

    static String read(String name) {
        try (InputStream in = ChatTemplateConformanceTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
