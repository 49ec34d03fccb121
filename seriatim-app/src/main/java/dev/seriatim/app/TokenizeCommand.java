package dev.seriatim.app;

import dev.seriatim.text.tokenizer.Tokenizer;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Text to token ids with the model's own tokenizer. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Split text into the model's tokens (special-token text such as <s> becomes that token).")
final class TokenizeCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Mixin
    TiktokenOptions tiktoken;

    @Option(names = "--text", required = true, paramLabel = "TEXT", description = "The text to tokenize.")
    String text;

    @Option(names = "--bos", description = "Add the beginning-of-sequence token when the model asks for one.")
    boolean bos;

    @Option(names = "--json", description = "Print {\"tokens\":[...],\"pieces\":[...]}.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        {
            Tokenizer tokenizer = tiktoken.tokenizer(options);
            int[] ids = bos ? tokenizer.encodeWithSpecials(text) : tokenizer.encode(text);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectNode o = Json.object();
                ArrayNode tokens = o.putArray("tokens");
                ArrayNode pieces = o.putArray("pieces");
                for (int id : ids) {
                    tokens.add(id);
                    pieces.add(tokenizer.piece(id));
                }
                out.println(Json.write(o));
            } else {
                for (int id : ids) {
                    out.printf(Locale.ROOT, "%8d  %s%n", id, Sizes.quote(tokenizer.piece(id)));
                }
            }
            out.flush();
        }
        return 0;
    }
}
