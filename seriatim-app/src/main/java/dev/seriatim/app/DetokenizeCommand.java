package dev.seriatim.app;

import dev.seriatim.text.tokenizer.Tokenizer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Token ids back to text. */
@Command(name = "detokenize", mixinStandardHelpOptions = true,
        description = "Turn token ids back into text.")
final class DetokenizeCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Mixin
    TiktokenOptions tiktoken;

    @Option(names = "--tokens", required = true, paramLabel = "IDS", description = "Comma-separated token ids, e.g. 1,2,3.")
    String tokens;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        {
            Tokenizer tokenizer = tiktoken.tokenizer(options);
            int[] ids = TokenList.parse(tokens, tokenizer.vocabSize(), "--tokens");
            PrintWriter out = spec.commandLine().getOut();
            out.println(tokenizer.decode(ids));
            out.flush();
        }
        return 0;
    }
}
