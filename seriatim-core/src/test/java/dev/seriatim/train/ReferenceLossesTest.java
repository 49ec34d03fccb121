package dev.seriatim.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.seriatim.tensor.Parallel;
import java.io.InputStream;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The first 20 training losses equal those of an independent PyTorch implementation trained
 * from the same initial weights on the same batches (tools/reference/make_training_fixture.sh,
 * whose command line this test repeats).
 */
class ReferenceLossesTest {

    @Test
    void first20LossesMatchPyTorch() throws Exception {
        byte[] corpus;
        JsonNode fixture;
        try (InputStream in = resource("corpus.txt"); InputStream json = resource("torch-losses.json")) {
            corpus = in.readAllBytes();
            fixture = new ObjectMapper().readTree(json);
        }
        // --layers 2 --heads 4 --dim 64 --context 64 --batch 8 --accumulate 2 --steps 20 --lr 3e-3 --seed 5,
        // the command's defaults for the rest (tied embeddings, min lr = lr/10, warm-up 10%, decay 0.1, clip 1)
        GptConfig config = GptConfig.llamaStyle(ByteVocabulary.SIZE, 64, 2, 4, 64, true);
        TrainSettings settings = new TrainSettings(8, 2, 20, 3e-3f, 3e-4f, 2, 0.1f, 1f, 0, 16, 0, 5L);
        JsonNode expected = fixture.get("losses");
        assertThat(expected.size()).isEqualTo(20);
        try (Parallel parallel = new Parallel(2)) {
            GptTrainer trainer = new GptTrainer(GptModel.initialized(config, 5L), TrainingData.ofBytes(corpus), settings,
                    parallel);
            for (int step = 0; step < 20; step++) {
                double loss = trainer.trainStep().loss();
                assertThat(loss).as("loss of step %d", step + 1).isCloseTo(expected.get(step).asDouble(), within(1e-4));
            }
        }
    }

    private static InputStream resource(String name) {
        return Objects.requireNonNull(ReferenceLossesTest.class.getResourceAsStream("/reference-training/" + name),
                name);
    }
}
