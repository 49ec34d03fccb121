package dev.seriatim.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class RejectionAndBestOfNTest {

    static final SamplingParams HOT = GeneratorTest.HOT;

    @Test
    void keepsTheFirstAcceptedAndReportsEveryAttempt() {
        TableModel m = TableModel.random(10, 1, 1, 100, true);
        GenerationOptions o = new GenerationOptions(HOT, StopConditions.of(new int[0], 6), 1, -1);
        // accept a continuation that starts with token 7
        RejectionSampling.Result r = RejectionSampling.sample(m, new int[] {1, 2}, o, null,
                g -> g.tokens().length > 0 && g.tokens()[0] == 7, 200, GenerationListener.NONE);
        assertThat(r.succeeded()).isTrue();
        assertThat(r.accepted().tokens()[0]).isEqualTo(7);
        assertThat(r.attempts().getLast()).isSameAs(r.accepted());
        for (Generation g : r.attempts().subList(0, r.tries() - 1)) {
            assertThat(g.tokens()[0]).isNotEqualTo(7);
        }
        assertThat(m.prefills).isEqualTo(1);
        // the attempts are the samples Generator draws with the same options
        List<Generation> same = Generator.generate(TableModel.random(10, 1, 1, 100, true), new int[] {1, 2},
                new GenerationOptions(HOT, StopConditions.of(new int[0], 6), r.tries(), -1), null, GenerationListener.NONE);
        for (int i = 0; i < r.tries(); i++) {
            assertThat(r.attempts().get(i).tokens()).isEqualTo(same.get(i).tokens());
        }
    }

    @Test
    void givesUpAfterMaxTries() {
        TableModel m = TableModel.random(10, 1, 1, 100, true);
        GenerationOptions o = new GenerationOptions(HOT, StopConditions.of(new int[0], 3), 1, -1);
        RejectionSampling.Result r = RejectionSampling.sample(m, new int[] {1}, o, null, g -> false, 5, GenerationListener.NONE);
        assertThat(r.succeeded()).isFalse();
        assertThat(r.tries()).isEqualTo(5);
        assertThatThrownBy(() -> RejectionSampling.sample(m, new int[] {1}, o, null, g -> true, 0, GenerationListener.NONE))
                .hasMessageContaining("max tries");
    }

    @Test
    void aScoreThresholdAccepts() {
        TableModel m = TableModel.random(10, 2, 2, 100, true);
        GenerationOptions o = new GenerationOptions(HOT, StopConditions.of(new int[0], 4), 1, 0);
        RejectionSampling.Result r = RejectionSampling.sample(m, new int[] {1}, o, null,
                RejectionSampling.scoreAtLeast(BestOfN::meanLogprob, -1.0), 500, GenerationListener.NONE);
        assertThat(r.succeeded()).isTrue();
        assertThat(BestOfN.meanLogprob(r.accepted())).isGreaterThanOrEqualTo(-1.0);
    }

    @Test
    void bestOfNPicksTheHighestMeanLogprob() {
        TableModel m = TableModel.random(10, 3, 2, 100, true);
        GenerationOptions o = new GenerationOptions(HOT, StopConditions.of(new int[0], 5), 8, -1);
        BestOfN.Result r = BestOfN.pick(m, new int[] {4}, o, null, GenerationListener.NONE);
        assertThat(r.all()).hasSize(8);
        assertThat(r.best()).isSameAs(r.all().get(r.index()));
        for (Generation g : r.all()) {
            double mean = g.sumLogprob() / g.tokens().length;
            assertThat(mean).isLessThanOrEqualTo(r.score() + 1e-12);
        }
        // the score is the model's own: recompute from the table
        int last = 4;
        double sum = 0;
        for (int t : r.best().tokens()) {
            sum += m.logprob(last, t);
            last = t;
        }
        assertThat(r.score()).isCloseTo(sum / r.best().tokens().length, Offset.offset(1e-9));
    }
}
