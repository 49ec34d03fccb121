package dev.seriatim.text;

import dev.seriatim.io.gguf.GgufMetadata;
import java.util.Optional;

/** The chat templates a GGUF file carries: {@code tokenizer.chat_template} and named variants. */
public final class GgufChatTemplates {

    private GgufChatTemplates() {
    }

    /** {@code tokenizer.chat_template}, if present. */
    public static Optional<String> defaultTemplate(GgufMetadata m) {
        return m.findString("tokenizer.chat_template");
    }

    /** {@code tokenizer.chat_template.NAME} (e.g. {@code tool_use}), if present. */
    public static Optional<String> named(GgufMetadata m, String name) {
        return m.findString("tokenizer.chat_template." + name);
    }
}
