package dev.seriatim.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.text.TextModel;
import dev.seriatim.text.tokenizer.IncrementalDecoder;
import dev.seriatim.text.transformer.Architecture;
import dev.seriatim.text.transformer.RandomModelWriter;
import dev.seriatim.text.transformer.TinyModels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generation loop on a real (random-weight) transformer: truncating its state between samples. */
class TransformerGenerationTest {

    @TempDir
    Path dir;

    @Test
    void samplesFromOneTruncatedStateEqualFreshRuns() throws Exception {
        Path file = dir.resolve("tiny.gguf");
        RandomModelWriter.write(TinyModels.config(Architecture.LLAMA, 300), GgmlType.Q8_0, 5, file);
        try (TextModel model = TextModel.open(file, 1, 0)) {
            int[] prompt = model.promptTokens("once upon a time");
            SamplingParams p = SamplingParams.DEFAULTS.toBuilder().temperature(1.1f).seed(3).build();
            StopConditions stop = new StopConditions(new int[0], 12, List.of(), null);
            List<Generation> all = Generator.generate(model.transformer(), prompt, new GenerationOptions(p, stop, 4, 2),
                    () -> new IncrementalDecoder(model.tokenizer()), GenerationListener.NONE);
            for (int i = 0; i < 4; i++) {
                List<Generation> single = Generator.generate(model.transformer(), prompt,
                        new GenerationOptions(p.toBuilder().seed(3 + i).build(), stop, 1, 2),
                        () -> new IncrementalDecoder(model.tokenizer()), GenerationListener.NONE);
                Generation g = single.getFirst();
                assertThat(all.get(i).tokens()).isEqualTo(g.tokens()).hasSize(12);
                assertThat(all.get(i).text()).isEqualTo(g.text()).isEqualTo(model.tokenizer().decode(g.tokens()));
                for (int t = 0; t < 12; t++) {
                    assertThat(all.get(i).logprobs().get(t).logprob()).isEqualTo(g.logprobs().get(t).logprob());
                }
            }
        }
    }
}
