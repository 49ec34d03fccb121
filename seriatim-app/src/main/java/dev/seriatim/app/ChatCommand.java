package dev.seriatim.app;

import dev.seriatim.decode.SamplingParams;
import dev.seriatim.decode.TokenSampler;
import dev.seriatim.text.TextModel;
import dev.seriatim.text.chat.ChatSession;
import dev.seriatim.text.chat.ChatTemplate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Multi-turn chat through the model's own chat template. Interactive on a terminal (Ctrl-C stops
 * the current reply, /reset and /exit); otherwise one message per input line, one reply per
 * output line, so it can be scripted and tested.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"Chat with the model using its chat template; the KV cache is kept across turns.",
            "Type /reset to start over, /exit (or end of input) to quit; Ctrl-C stops the current reply.",
            "When stdin is not a terminal, every input line is one user message and every reply is printed on its own line."})
final class ChatCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Option(names = "--system", paramLabel = "TEXT", description = "System message that starts the conversation.")
    String system;

    @Option(names = "--template", paramLabel = "FILE",
            description = "Jinja chat template to use instead of the model's own.")
    Path templateFile;

    @Option(names = "--input", paramLabel = "FILE", description = "Read messages from FILE (one per line) instead of stdin.")
    Path input;

    @Option(names = {"-n", "--max-tokens"}, paramLabel = "N", description = "Most tokens per reply (default ${DEFAULT-VALUE}).")
    int maxTokens = 512;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature; 0 = greedy (default ${DEFAULT-VALUE}).")
    float temperature = 0.7f;

    @Option(names = "--top-k", paramLabel = "K", description = "Keep the K most likely tokens; 0 = off (default ${DEFAULT-VALUE}).")
    int topK = 40;

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling threshold; 1 = off (default ${DEFAULT-VALUE}).")
    float topP = 0.95f;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--json", description = "Print one JSON object per reply instead of streaming text:"
            + " {\"reply\":..,\"tokens\":[..],\"finish_reason\":..,\"prefilled\":N,\"cached\":N} (multi-line replies stay on one line).")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (maxTokens < 1) {
            throw new InputException("--max-tokens must be >= 1, got " + maxTokens);
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean interactive = input == null && System.console() != null && System.console().isTerminal();
        try (TextModel model = options.open()) {
            ChatTemplate template = ChatTemplate.parse(templateSource(model));
            ChatSession session = new ChatSession(model, template, system,
                    new TokenSampler(SamplingParams.of(temperature, topK, topP, seed)), maxTokens);
            AtomicBoolean stopReply = new AtomicBoolean();
            if (interactive) {
                CtrlC.onInterrupt(() -> stopReply.set(true));
                out.println("Chatting with " + options.model.getFileName() + ". /reset starts over, /exit quits, Ctrl-C stops a reply.");
            }
            try (BufferedReader in = input != null ? Files.newBufferedReader(input, StandardCharsets.UTF_8)
                    : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                loop(in, out, session, stopReply, interactive);
            }
        }
        return 0;
    }

    private void loop(BufferedReader in, PrintWriter out, ChatSession session, AtomicBoolean stopReply, boolean interactive)
            throws IOException {
        while (true) {
            if (interactive) {
                out.print("> ");
                out.flush();
            }
            String line = in.readLine();
            if (line == null || line.strip().equals("/exit")) {
                return;
            }
            if (line.strip().equals("/reset")) {
                session.reset();
                if (interactive) {
                    out.println("(conversation reset)");
                }
                continue;
            }
            if (line.isBlank()) {
                continue;
            }
            stopReply.set(false);
            ChatSession.Reply reply = session.send(line, piece -> {
                if (!json) {
                    out.print(piece);
                    out.flush();
                }
            }, stopReply::get);
            if (json) {
                ObjectNode o = Json.object();
                o.put("reply", reply.text());
                ArrayNode tokens = o.putArray("tokens");
                for (int t : reply.tokens()) {
                    tokens.add(t);
                }
                o.put("finish_reason", reply.finishReason().apiName());
                o.put("prefilled", reply.prefilled());
                o.put("cached", session.cachedTokens());
                out.println(Json.write(o));
            } else {
                out.println();
            }
            out.flush();
        }
    }

    private String templateSource(TextModel model) throws IOException {
        if (templateFile != null) {
            if (!Files.isRegularFile(templateFile)) {
                throw new InputException("template file not found: " + templateFile);
            }
            return Files.readString(templateFile, StandardCharsets.UTF_8);
        }
        return model.chatTemplate().orElseThrow(() -> new InputException(
                "the model declares no chat template (GGUF tokenizer.chat_template or tokenizer_config.json"
                        + " chat_template); pass one with --template FILE"));
    }
}
