package dev.seriatim.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.nn.Parameter;
import dev.seriatim.tensor.Parallel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run interrupted at a checkpoint and resumed ends with exactly the weights of an uninterrupted run. */
class CheckpointResumeTest {

    @Test
    void resumedRunEqualsUninterruptedRun(@TempDir Path dir) throws Exception {
        byte[] bytes = GptTrainingTest.TEXT.getBytes(StandardCharsets.UTF_8);
        TrainingData data = new TrainingData(ByteVocabulary.ids(bytes, 0, bytes.length), 0.1);
        GptConfig config = GptConfig.llamaStyle(ByteVocabulary.SIZE, 32, 2, 2, 16, false);
        TrainSettings settings = new TrainSettings(4, 2, 8, 3e-3f, 1e-4f, 2, 0.1f, 0.5f, 0, 1, 3, 11L);
        try (Parallel parallel = new Parallel(2)) {
            GptTrainer whole = new GptTrainer(GptModel.initialized(config, 11L), data, settings, parallel);
            whole.run(TrainingListener.NONE, () -> false, null);

            Path ckpt = dir.resolve("run.ckpt.gguf");
            GptTrainer first = new GptTrainer(GptModel.initialized(config, 11L), data, settings, parallel);
            first.run(TrainingListener.NONE, () -> first.step() == 3, ckpt); // "interrupted" after step 3
            GptTrainer resumed = GptTrainer.resume(Checkpoint.read(ckpt), data, parallel);
            assertThat(resumed.step()).isEqualTo(3);
            assertThat(resumed.settings()).isEqualTo(settings);
            resumed.run(TrainingListener.NONE, () -> false, ckpt);

            List<Parameter> expected = whole.model().parameters();
            List<Parameter> actual = resumed.model().parameters();
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertThat(actual.get(i).tensor().data()).as(expected.get(i).name())
                        .containsExactly(expected.get(i).tensor().data());
            }
            assertThat(Checkpoint.read(ckpt).step()).isEqualTo(8);

            TrainingData other = new TrainingData(ByteVocabulary.ids(bytes, 1, bytes.length - 1), 0.1);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> GptTrainer.resume(Checkpoint.read(ckpt), other,
                    parallel)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data differs");
        }
    }
}
