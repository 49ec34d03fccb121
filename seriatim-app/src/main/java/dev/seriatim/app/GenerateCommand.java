package dev.seriatim.app;

import dev.seriatim.decode.Generation;
import dev.seriatim.decode.Generator;
import dev.seriatim.decode.SamplingParams;
import dev.seriatim.decode.TokenSampler;
import dev.seriatim.text.TextModel;
import dev.seriatim.text.tokenizer.IncrementalDecoder;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Continues a prompt, streaming the text as it is generated. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Continue PROMPT with the model, streaming the new text to stdout.")
final class GenerateCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Parameters(arity = "1..*", paramLabel = "PROMPT", description = "The text to continue (several words are joined by spaces).")
    List<String> prompt;

    @Option(names = {"-n", "--max-tokens"}, paramLabel = "N", description = "Most tokens to generate (default ${DEFAULT-VALUE}).")
    int maxTokens = 128;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature; 0 = greedy (default ${DEFAULT-VALUE}).")
    float temperature = 0.8f;

    @Option(names = "--top-k", paramLabel = "K", description = "Keep the K most likely tokens; 0 = off (default ${DEFAULT-VALUE}).")
    int topK = 40;

    @Option(names = "--top-p", paramLabel = "P", description = "Keep the smallest set of tokens whose probability reaches P; 1 = off (default ${DEFAULT-VALUE}).")
    float topP = 0.95f;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed; the same seed gives the same text (default ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--json", description = "Print {\"text\":..,\"tokens\":[..],\"finish_reason\":..} at the end instead of streaming.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (maxTokens < 0) {
            throw new InputException("--max-tokens must be >= 0, got " + maxTokens);
        }
        SamplingParams params = SamplingParams.of(temperature, topK, topP, seed);
        PrintWriter out = spec.commandLine().getOut();
        try (TextModel model = options.open()) {
            int[] context = model.promptTokens(String.join(" ", prompt));
            if (context.length == 0) {
                throw new InputException("the prompt is empty and the model has no beginning-of-sequence token to start from");
            }
            IncrementalDecoder decoder = new IncrementalDecoder(model.tokenizer());
            StringBuilder text = new StringBuilder();
            Generation g = Generator.generate(model.transformer(), context, new TokenSampler(params),
                    model.stopTokens(), maxTokens, token -> {
                        String piece = decoder.push(token);
                        text.append(piece);
                        if (!json && !piece.isEmpty()) {
                            out.print(piece);
                            out.flush();
                        }
                    });
            String rest = decoder.flush();
            text.append(rest);
            if (json) {
                ObjectNode o = Json.object();
                o.put("text", text.toString());
                ArrayNode tokens = o.putArray("tokens");
                for (int t : g.tokens()) {
                    tokens.add(t);
                }
                o.put("finish_reason", g.finishReason().apiName());
                out.println(Json.write(o));
            } else {
                out.println(rest);
            }
            out.flush();
        }
        return 0;
    }
}
