package dev.seriatim.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleStreamTest {

    static GenerationOptions options(int samples) {
        return new GenerationOptions(GeneratorTest.HOT, new StopConditions(new int[] {0}, 20, List.of("</s>"), null),
                samples, -1);
    }

    @Test
    void pulledPiecesAreTheTextOfTheSameSample() {
        TableModel m = TableModel.random(10, 7, 1, 100, true);
        List<Generation> expected = Generator.generate(m, new int[] {1, 2}, options(3), GeneratorTest.pieces(),
                GenerationListener.NONE);
        SampleLoop<TableModel.State> loop = new SampleLoop<>(TableModel.random(10, 7, 1, 100, true), new int[] {1, 2},
                options(3), GeneratorTest.pieces(), GenerationListener.NONE);
        for (int i = 0; i < 3; i++) {
            SampleStream<TableModel.State> stream = loop.stream();
            List<String> pieces = new ArrayList<>();
            stream.forEachRemaining(pieces::add);
            assertThat(pieces).allMatch(p -> !p.isEmpty());
            assertThat(String.join("", pieces)).isEqualTo(expected.get(i).text());
            assertThat(stream.finished()).isTrue();
            assertThat(stream.result().tokens()).isEqualTo(expected.get(i).tokens());
            assertThat(stream.result().finishReason()).isEqualTo(expected.get(i).finishReason());
            assertThat(stream.step()).isNull();
        }
    }

    @Test
    void aStreamNotPulledFurtherStopsGeneratingAndMustBeFinishedBeforeTheNext() {
        TableModel m = TableModel.random(10, 8, 1, 100, true);
        SampleLoop<TableModel.State> loop = new SampleLoop<>(m, new int[] {1}, options(2), GeneratorTest.pieces(),
                GenerationListener.NONE);
        SampleStream<TableModel.State> first = loop.stream();
        first.step();
        first.step();
        // one prompt token plus at most the two stepped tokens: nothing ran ahead
        assertThat(m.length(m.lastState)).isLessThanOrEqualTo(3);
        assertThatThrownBy(first::result).hasMessageContaining("not finished");
        assertThatThrownBy(loop::stream).hasMessageContaining("has not finished");
        Generation g = first.finish();
        assertThat(g.finishReason()).isNotNull();
        assertThat(loop.stream().finish()).isNotNull();
        assertThat(loop.drawn()).isEqualTo(2);
    }

    /** A loop over a state the caller prefilled (in two pieces here) gives what the prefilling constructor gives. */
    @Test
    void continuingAPrefilledStateEqualsPrefillingInTheLoop() {
        int[] context = {1, 2, 3, 4, 5};
        for (boolean truncatable : new boolean[] {true, false}) {
            List<Generation> expected = Generator.generate(TableModel.random(10, 9, 1, 100, truncatable), context,
                    options(3), GeneratorTest.pieces(), GenerationListener.NONE);
            TableModel m = TableModel.random(10, 9, 1, 100, truncatable);
            TableModel.State state = m.newState();
            m.append(state, context, 0, 2);
            float[] logits = m.append(state, context, 2, 3);
            SampleLoop<TableModel.State> loop = SampleLoop.continuing(m, state, context, logits, options(3),
                    GeneratorTest.pieces(), GenerationListener.NONE);
            for (int i = 0; i < 3; i++) {
                assertThat(loop.next()).usingRecursiveComparison().isEqualTo(expected.get(i));
            }
        }
    }

    @Test
    void continuingChecksTheStateHoldsTheContext() {
        TableModel m = TableModel.random(10, 9, 1, 100, true);
        TableModel.State state = m.newState();
        float[] logits = m.append(state, new int[] {1, 2}, 0, 2);
        assertThatThrownBy(() -> SampleLoop.continuing(m, state, new int[] {1, 2, 3}, logits, options(1),
                GeneratorTest.pieces(), GenerationListener.NONE))
                .hasMessageContaining("holds 2 tokens but the context has 3");
    }

    @Test
    void cancelEndsTheSampleAsAStopAndReleasesHeldBackText() {
        TableModel m = TableModel.random(10, 8, 1, 100, true);
        Generation whole = Generator.generate(m, new int[] {1}, options(1), GeneratorTest.pieces(),
                GenerationListener.NONE).getFirst();
        assertThat(whole.tokens().length).as("the sample must be long enough to cut").isGreaterThan(2);
        SampleLoop<TableModel.State> loop = new SampleLoop<>(m, new int[] {1}, options(1), GeneratorTest.pieces(),
                GenerationListener.NONE);
        SampleStream<TableModel.State> stream = loop.stream();
        StringBuilder text = new StringBuilder(stream.step());
        text.append(stream.step());
        text.append(stream.cancel());
        assertThat(stream.finished()).isTrue();
        assertThat(stream.cancel()).isNull();
        Generation cut = stream.result();
        assertThat(cut.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(cut.tokens()).containsExactly(whole.tokens()[0], whole.tokens()[1]);
        assertThat(cut.text()).isEqualTo(text.toString());
        assertThat(whole.text()).startsWith(cut.text());
    }
}
