package dev.seriatim.app;

import dev.seriatim.text.ModelChatTemplates;
import dev.seriatim.text.TextModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which chat template a command renders: the model's default, a named variant, or a file. */
final class ChatTemplateOptions {

    @Option(names = "--template", paramLabel = "NAME",
            description = "Use the model's chat template variant NAME (GGUF tokenizer.chat_template.NAME or a named entry"
                    + " of tokenizer_config.json, e.g. tool_use or rag; 'default' is the default one)"
                    + " instead of the default.")
    String name;

    @Option(names = "--template-file", paramLabel = "FILE",
            description = "Jinja chat template to use instead of the model's own.")
    Path file;

    /** The Jinja source chosen; a missing name, file or default is an input error. */
    String source(TextModel model) throws IOException {
        if (name != null && file != null) {
            throw new InputException("--template and --template-file cannot be combined");
        }
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new InputException("--template-file: file not found: " + file);
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        ModelChatTemplates templates = model.chatTemplates();
        if (templates.names().isEmpty()) {
            throw new InputException("the model declares no chat template (GGUF tokenizer.chat_template or"
                    + " tokenizer_config.json chat_template); pass one with --template-file FILE");
        }
        String available = "available: " + String.join(", ", templates.names());
        if (name != null) {
            // --template once took a file: say so to whoever still passes one
            String hint = Files.isRegularFile(Path.of(name)) ? "; a Jinja file goes to --template-file" : "";
            return templates.find(name).orElseThrow(() -> new InputException(
                    "--template: the model has no chat template named '" + name + "' (" + available + ")" + hint));
        }
        return templates.defaultTemplate().orElseThrow(() -> new InputException(
                "the model declares no default chat template (" + available + "); pass --template NAME or"
                        + " --template-file FILE"));
    }
}
