package dev.seriatim.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The chat templates (Jinja sources) a model declares: the default one and named variants
 * such as {@code tool_use} or {@code rag} (GGUF {@code tokenizer.chat_template.NAME}, or the
 * {@code {name, template}} list of a {@code tokenizer_config.json}).
 *
 * @param defaultTemplate the template used when none is named
 * @param named           the variants by name, never containing {@value #DEFAULT_NAME}
 */
public record ModelChatTemplates(Optional<String> defaultTemplate, Map<String, String> named) {

    /** The name that selects the default template (as Hugging Face's list calls it). */
    public static final String DEFAULT_NAME = "default";

    public static final ModelChatTemplates NONE = new ModelChatTemplates(Optional.empty(), Map.of());

    public ModelChatTemplates {
        if (named.containsKey(DEFAULT_NAME)) {
            throw new IllegalArgumentException("the default template is not a named variant");
        }
        named = Map.copyOf(named);
    }

    /** Only a default template. */
    public static ModelChatTemplates of(String defaultTemplate) {
        return new ModelChatTemplates(Optional.of(defaultTemplate), Map.of());
    }

    /** The template called {@code name}; {@value #DEFAULT_NAME} is the default one. */
    public Optional<String> find(String name) {
        return DEFAULT_NAME.equals(name) ? defaultTemplate : Optional.ofNullable(named.get(name));
    }

    /** Every name {@link #find} knows: {@value #DEFAULT_NAME} first when there is one, then the rest sorted. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        defaultTemplate.ifPresent(t -> names.add(DEFAULT_NAME));
        names.addAll(new TreeMap<>(named).keySet());
        return names;
    }
}
