package dev.seriatim.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The split, the batches of a step, and validation windows cut as the scorer cuts. */
class TrainingDataTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void validationWindowsPredictEveryTokenButEachWindowsFirst(int seed) {
        java.util.Random random = new java.util.Random(seed);
        int length = 50 + random.nextInt(400);
        int seqLen = 2 + random.nextInt(30);
        int batch = 1 + random.nextInt(5);
        TrainingData data = new TrainingData(IntStream.range(0, length).toArray(), 0.5);
        int[] validation = data.validation();
        assertThat(data.train().length + validation.length).isEqualTo(length);
        assertThat(data.train()[data.train().length - 1] + 1).isEqualTo(validation[0]);
        List<TrainingData.Batch> batches = data.validationWindows(seqLen, Integer.MAX_VALUE, batch);
        java.util.Set<Integer> predicted = new java.util.TreeSet<>();
        for (TrainingData.Batch b : batches) {
            assertThat(b.batch()).isBetween(1, batch);
            for (int i = 0; i < b.targets().length; i++) {
                assertThat(b.targets()[i]).isEqualTo(b.inputs()[i] + 1); // the next token of the same stream
                predicted.add(b.targets()[i] - validation[0]);
            }
        }
        // the scorer's rule: every position except the first of each window of seqLen
        java.util.Set<Integer> expected = new java.util.TreeSet<>();
        for (int i = 0; i < validation.length; i++) {
            if (i % seqLen != 0) {
                expected.add(i);
            }
        }
        assertThat(predicted).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void aStepsBatchDependsOnlyOnSeedStepAndMicroStep(int seed) {
        TrainingData data = new TrainingData(IntStream.range(0, 1000).toArray(), 0.1);
        TrainingData.Batch a = data.batch(seed, 7, 1, 4, 16);
        data.batch(seed, 8, 0, 4, 16);
        TrainingData.Batch b = data.batch(seed, 7, 1, 4, 16);
        assertThat(b.inputs()).containsExactly(a.inputs());
        assertThat(data.batch(seed, 7, 0, 4, 16).inputs()).isNotEqualTo(a.inputs());
        for (int i = 0; i < a.inputs().length; i++) {
            assertThat(a.targets()[i]).isEqualTo(a.inputs()[i] + 1);
            assertThat(a.targets()[i]).isLessThan(900); // training part only
        }
    }
}
