package dev.seriatim.app;

import dev.seriatim.core.Scorer;
import dev.seriatim.core.SequenceScore;
import dev.seriatim.text.TextModel;
import dev.seriatim.text.tokenizer.Tokenizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Log-likelihood of a text under the model. Sequences longer than the context are scored in
 * consecutive windows of the context size; the first token of each window has no context and
 * is not scored (its logprob is null), as in a fresh sequence.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Log-probability of each token given the ones before it, total NLL and perplexity (natural log).",
                "Text longer than the context is scored in consecutive windows of the context size."})
final class ScoreCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--text", paramLabel = "TEXT", description = "Text to score (BOS added when the model asks for it).")
        String text;

        @Option(names = "--file", paramLabel = "FILE", description = "UTF-8 text file to score.")
        Path file;

        @Option(names = "--tokens", paramLabel = "IDS", description = "Token ids to score, used exactly as given.")
        String tokens;
    }

    @Option(names = "--json", description = "Print {\"tokens\":[...],\"logprobs\":[null,...],\"nll\":..,\"perplexity\":..}.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (TextModel model = options.open()) {
            Tokenizer tokenizer = model.tokenizer();
            int[] ids = tokens(model);
            if (ids.length < 2) {
                throw new InputException("need at least 2 tokens to score, got " + ids.length);
            }
            SequenceScore result = Scorer.score(model.transformer(), ids);
            double[] logprobs = result.logprobs();
            double nll = result.nll();
            int scored = result.scoredCount();
            double mean = result.meanNll();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectNode o = Json.object();
                ArrayNode t = o.putArray("tokens");
                ArrayNode l = o.putArray("logprobs");
                for (int i = 0; i < ids.length; i++) {
                    t.add(ids[i]);
                    if (Double.isNaN(logprobs[i])) {
                        l.addNull();
                    } else {
                        l.add(logprobs[i]);
                    }
                }
                o.put("scored_tokens", scored);
                o.put("nll", nll);
                o.put("mean_nll", mean);
                o.put("perplexity", Math.exp(mean));
                out.println(Json.write(o));
            } else {
                out.printf(Locale.ROOT, "%6s %8s  %-24s %12s%n", "pos", "token", "piece", "logprob");
                for (int i = 0; i < ids.length; i++) {
                    out.printf(Locale.ROOT, "%6d %8d  %-24s %12s%n", i, ids[i], Sizes.quote(tokenizer.piece(ids[i])),
                            Double.isNaN(logprobs[i]) ? "-" : String.format(Locale.ROOT, "%.6f", logprobs[i]));
                }
                out.printf(Locale.ROOT, "tokens scored:   %d%n", scored);
                out.printf(Locale.ROOT, "total NLL:       %.6f nats%n", nll);
                out.printf(Locale.ROOT, "mean NLL:        %.6f nats/token%n", mean);
                out.printf(Locale.ROOT, "perplexity:      %.6f%n", Math.exp(mean));
            }
            out.flush();
        }
        return 0;
    }

    private int[] tokens(TextModel model) throws java.io.IOException {
        if (source.tokens != null) {
            return TokenList.parse(source.tokens, model.tokenizer().vocabSize(), "--tokens");
        }
        String text = source.text != null ? source.text : TextInput.read(source.file, "--file");
        return model.promptTokens(text);
    }
}
