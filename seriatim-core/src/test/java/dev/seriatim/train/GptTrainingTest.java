package dev.seriatim.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.seriatim.autograd.Tape;
import dev.seriatim.core.Scorer;
import dev.seriatim.core.SequenceScore;
import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.Parallel;
import dev.seriatim.text.TextModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny GPT learns a tiny text by heart, and the inference engine scores its export as the trainer does. */
class GptTrainingTest {

    static final String TEXT = """
            In the beginning was the byte, and the byte was with the model.
            The model read the byte and predicted the next, one at a time, seriatim.
            """;

    @Test
    void overfitsATinyTextAndTheExportScoresTheSame(@TempDir Path dir) throws Exception {
        byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
        TrainingData data = new TrainingData(ByteVocabulary.ids(bytes, 0, bytes.length), 0.0);
        GptConfig config = GptConfig.llamaStyle(ByteVocabulary.SIZE, 48, 2, 2, 32, false);
        TrainSettings settings = new TrainSettings(8, 1, 300, 1e-2f, 1e-3f, 10, 0f, 1f, 0, 1, 0, 7L);
        try (Parallel parallel = new Parallel(2)) {
            GptModel model = GptModel.initialized(config, 7L);
            GptTrainer trainer = new GptTrainer(model, data, settings, parallel);
            double first = trainer.trainStep().loss();
            StepReport last = null;
            while (trainer.step() < settings.steps()) {
                last = trainer.trainStep();
            }
            assertThat(first).isCloseTo(Math.log(ByteVocabulary.SIZE), within(0.3));
            // from ln(258) = 5.55 to 0.048: what remains is the first bytes of random windows, whose
            // one- or two-byte context is ambiguous in this text
            assertThat(last.loss()).isLessThan(0.1);

            // the trainer's forward on the first 32 bytes: predictions of bytes 1..31
            int n = config.context();
            int[] ids = Arrays.copyOf(data.train(), n);
            Tape tape = new Tape(parallel);
            double trainerLoss = model.loss(tape, Arrays.copyOf(ids, n - 1), Arrays.copyOfRange(ids, 1, n), 1, n - 1)
                    .item();

            Path gguf = dir.resolve("tiny.gguf");
            GgufExport.write(model, GgmlType.F32, "tiny", gguf);
            try (TextModel text = TextModel.open(gguf, 2, 0)) {
                assertThat(text.tokenizer().encode(TEXT.substring(0, n))).containsExactly(ids);
                SequenceScore score = Scorer.score(text.transformer(), ids);
                assertThat(score.meanNll()).isCloseTo(trainerLoss, within(1e-4));
            }
        }
    }

    @Test
    void threadCountDoesNotChangeTraining() {
        byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
        TrainingData data = new TrainingData(ByteVocabulary.ids(bytes, 0, bytes.length), 0.1);
        GptConfig config = GptConfig.llamaStyle(ByteVocabulary.SIZE, 32, 1, 2, 16, true);
        TrainSettings settings = new TrainSettings(4, 2, 3, 1e-3f, 1e-4f, 1, 0.1f, 1f, 0, 1, 0, 3L);
        float[][] finals = new float[2][];
        for (int t = 1; t <= 2; t++) {
            try (Parallel parallel = new Parallel(t)) {
                GptTrainer trainer = new GptTrainer(GptModel.initialized(config, 3L), data, settings, parallel);
                for (int s = 0; s < settings.steps(); s++) {
                    trainer.trainStep();
                }
                finals[t - 1] = trainer.model().parameter("blk.0.attn_q.weight").tensor().data().clone();
            }
        }
        assertThat(finals[1]).containsExactly(finals[0]);
    }
}
