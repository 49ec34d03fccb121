package dev.seriatim.text;

import dev.seriatim.io.gguf.GgufMetadata;
import dev.seriatim.io.gguf.GgufValueType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The chat templates a GGUF file carries: {@code tokenizer.chat_template} and named variants. */
public final class GgufChatTemplates {

    private static final String KEY = "tokenizer.chat_template";

    private GgufChatTemplates() {
    }

    /** {@code tokenizer.chat_template}, if present. */
    public static Optional<String> defaultTemplate(GgufMetadata m) {
        return m.findString(KEY);
    }

    /** {@code tokenizer.chat_template.NAME} (e.g. {@code tool_use}), if present. */
    public static Optional<String> named(GgufMetadata m, String name) {
        return m.findString(KEY + "." + name);
    }

    /**
     * The default template and every string key {@code tokenizer.chat_template.NAME}
     * (llama.cpp's converter writes one per named template of a tokenizer_config.json list).
     * A variant literally named {@code default} is the default when the plain key is missing.
     */
    public static ModelChatTemplates read(GgufMetadata m) {
        Optional<String> fallback = Optional.empty();
        Map<String, String> named = new LinkedHashMap<>();
        for (String key : m.keys()) {
            if (!key.startsWith(KEY + ".") || key.length() == KEY.length() + 1) {
                continue;
            }
            String name = key.substring(KEY.length() + 1);
            // a key of another type is no template of ours to read (nor a reason to refuse the model)
            Optional<String> source = m.get(key).filter(v -> v.type() == GgufValueType.STRING)
                    .map(v -> (String) v.value());
            if (source.isEmpty()) {
                continue;
            }
            if (name.equals(ModelChatTemplates.DEFAULT_NAME)) {
                fallback = source;
            } else {
                named.put(name, source.get());
            }
        }
        Optional<String> main = defaultTemplate(m);
        return new ModelChatTemplates(main.isPresent() ? main : fallback, named);
    }
}
