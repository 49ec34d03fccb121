package dev.seriatim.app;

import dev.seriatim.decode.GenerationOptions;
import dev.seriatim.decode.SamplingParams;
import dev.seriatim.decode.StopConditions;
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

    @Mixin
    SamplingOptions sampling;

    @Option(names = "--system", paramLabel = "TEXT", description = "System message that starts the conversation.")
    String system;

    @Mixin
    ChatTemplateOptions template;

    @Option(names = "--input", paramLabel = "FILE", description = "Read messages from FILE (one per line) instead of stdin.")
    Path input;

    @Option(names = {"-n", "--max-tokens"}, paramLabel = "N", description = "Most tokens per reply (default ${DEFAULT-VALUE}).")
    int maxTokens = 512;

    @Option(names = "--json", description = "Print one JSON object per reply instead of streaming text:"
            + " {\"reply\":..,\"tokens\":[..],\"finish_reason\":..,\"prefilled\":N,\"cached\":N}, with \"logprobs\" as generate"
            + " gives them when --logprobs K is given (multi-line replies stay on one line).")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (maxTokens < 1) {
            throw new InputException("--max-tokens must be >= 1, got " + maxTokens);
        }
        SamplingParams params = sampling.params();
        StopConditions stop = sampling.stopConditions(new int[0], maxTokens);
        GenerationOptions generation = new GenerationOptions(params, stop, 1, sampling.logprobCount(-1));
        PrintWriter out = spec.commandLine().getOut();
        boolean interactive = input == null && System.console() != null && System.console().isTerminal();
        try (TextModel model = options.open()) {
            sampling.checkLogitBias(params, model.config().vocabSize());
            ChatSession session = new ChatSession(model, ChatTemplate.parse(template.source(model)), system, generation);
            GenerationJson format = new GenerationJson(model.tokenizer());
            AtomicBoolean stopReply = new AtomicBoolean();
            if (interactive) {
                CtrlC.onInterrupt(() -> stopReply.set(true));
                out.println("Chatting with " + options.model.getFileName() + ". /reset starts over, /exit quits, Ctrl-C stops a reply.");
            }
            try (BufferedReader in = input != null ? Files.newBufferedReader(input, StandardCharsets.UTF_8)
                    : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                loop(in, out, session, format, stopReply, interactive);
            }
        }
        return 0;
    }

    private void loop(BufferedReader in, PrintWriter out, ChatSession session, GenerationJson format,
                      AtomicBoolean stopReply, boolean interactive)
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
                ObjectNode o = format.of(reply.generation(), sampling.wantsLogprobs(), "reply");
                o.put("prefilled", reply.prefilled());
                o.put("cached", session.cachedTokens());
                out.println(Json.write(o));
            } else {
                out.println();
            }
            out.flush();
        }
    }
}
