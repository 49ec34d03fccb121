package dev.seriatim.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BeamSearchTest {

    static final int[] PROMPT = {1};

    static LongStream seeds() {
        return LongStream.range(0, 40);
    }

    /** Every sequence the search could return, scored exactly: the optimum by brute force. */
    static List<BeamHypothesis> exhaustive(TableModel m, int depth, int stopToken, float alpha) {
        List<BeamHypothesis> all = new ArrayList<>();
        extend(m, new ArrayList<>(), PROMPT[PROMPT.length - 1], 0, depth, stopToken, alpha, all);
        all.sort(Comparator.comparingDouble(h -> -h.score()));
        return all;
    }

    private static void extend(TableModel m, List<Integer> prefix, int last, double sum, int depth, int stopToken,
                               float alpha, List<BeamHypothesis> out) {
        if (prefix.size() == depth) {
            out.add(hyp(prefix, sum, sum / Math.pow(depth, alpha), FinishReason.LENGTH));
            return;
        }
        for (int t = 0; t < m.vocabSize(); t++) {
            double s = sum + m.logprob(last, t);
            if (t == stopToken) {
                out.add(hyp(prefix, s, s / Math.pow(prefix.size() + 1, alpha), FinishReason.STOP));
                continue;
            }
            prefix.add(t);
            extend(m, prefix, t, s, depth, stopToken, alpha, out);
            prefix.removeLast();
        }
    }

    private static BeamHypothesis hyp(List<Integer> tokens, double sum, double score, FinishReason r) {
        return new BeamHypothesis(tokens.stream().mapToInt(Integer::intValue).toArray(), new double[0], sum, score, r);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void withEnoughBeamsItFindsTheExhaustiveOptimum(long seed) {
        int vocab = 3;
        int depth = 4;
        float[] alphas = {0f, 1f, 2f, -0.5f};
        float alpha = alphas[(int) (seed % alphas.length)];
        int stopToken = seed % 2 == 0 ? 0 : -1;
        TableModel m = TableModel.random(vocab, seed, 1.5, 50, true);
        int beams = (int) Math.pow(vocab, depth);
        BeamSearchParams p = new BeamSearchParams(beams, alpha, seed % 3 == 0, 3, 0);
        StopConditions stop = StopConditions.of(stopToken < 0 ? new int[0] : new int[] {stopToken}, depth);
        List<BeamHypothesis> found = BeamSearch.search(m, PROMPT, p, stop);
        List<BeamHypothesis> best = exhaustive(m, depth, stopToken, alpha);
        assertThat(found).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(found.get(i).score()).as("rank %d", i).isCloseTo(best.get(i).score(), Offset.offset(1e-9));
        }
        // a Markov table gives permuted sequences equal sums, so check each returned sequence's
        // own exact score rather than which of several tied sequences came back
        for (BeamHypothesis h : found) {
            BeamHypothesis same = best.stream().filter(b -> Arrays.equals(b.tokens(), h.tokens())
                    && b.finishReason() == h.finishReason()).findFirst().orElseThrow();
            assertThat(h.score()).isCloseTo(same.score(), Offset.offset(1e-9));
            assertThat(h.sumLogprob()).isCloseTo(same.sumLogprob(), Offset.offset(1e-9));
        }
        assertThat(found.stream().map(h -> Arrays.toString(h.tokens()) + h.finishReason()).distinct()).hasSize(3);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void oneBeamIsGreedy(long seed) {
        TableModel m = TableModel.random(7, seed, 2, 40, seed % 2 == 0);
        int[] stopTokens = {3};
        Generation greedy = Generator.generate(m, new int[] {2, 5}, SamplingParams.GREEDY, StopConditions.of(stopTokens, 12));
        List<BeamHypothesis> beam = BeamSearch.search(m, new int[] {2, 5},
                new BeamSearchParams(1, (seed % 3) - 1f, true, 1, 0), StopConditions.of(stopTokens, 12));
        assertThat(beam.getFirst().tokens()).isEqualTo(greedy.tokens());
        assertThat(beam.getFirst().finishReason()).isEqualTo(greedy.finishReason());
    }

    @Test
    void logprobsAndSumAgreeWithTheModel() {
        TableModel m = TableModel.random(6, 9, 2, 40, true);
        BeamHypothesis h = BeamSearch.search(m, PROMPT, new BeamSearchParams(4, 1f, false, 2, 0),
                StopConditions.of(new int[0], 6)).getFirst();
        int last = 1;
        double sum = 0;
        for (int i = 0; i < h.tokens().length; i++) {
            assertThat(h.logprobs()[i]).isCloseTo(m.logprob(last, h.tokens()[i]), Offset.offset(1e-9));
            sum += h.logprobs()[i];
            last = h.tokens()[i];
        }
        assertThat(h.sumLogprob()).isCloseTo(sum, Offset.offset(1e-9));
        // no beam outgrows the length reserved for the first state
        assertThat(m.reserved).isEqualTo(PROMPT.length + 5).isGreaterThanOrEqualTo(m.longest);
        assertThat(h.score()).isCloseTo(sum / 6, Offset.offset(1e-9));
    }

    @Test
    void noRepeatNgramKeepsEveryNgramUnique() {
        // a model that loves to repeat "2 3"
        float[][] table = new float[5][5];
        table[1] = GeneratorTest.hot(5, 2);
        table[2] = GeneratorTest.hot(5, 3);
        table[3] = GeneratorTest.hot(5, 2);
        table[4] = GeneratorTest.hot(5, 2);
        table[0] = GeneratorTest.hot(5, 2);
        TableModel m = new TableModel(table, 50, true);
        BeamHypothesis h = BeamSearch.search(m, PROMPT, new BeamSearchParams(2, 1f, true, 1, 2),
                StopConditions.of(new int[0], 10)).getFirst();
        List<String> bigrams = new ArrayList<>();
        int[] seq = new int[h.tokens().length + 1];
        seq[0] = 1;
        System.arraycopy(h.tokens(), 0, seq, 1, h.tokens().length);
        for (int i = 0; i + 1 < seq.length; i++) {
            bigrams.add(seq[i] + " " + seq[i + 1]);
        }
        assertThat(bigrams).doesNotHaveDuplicates();
        assertThat(Arrays.stream(h.tokens()).boxed().toList()).startsWith(2, 3);
    }

    @Test
    void statesAreCopiedNotRePrefilled() {
        TableModel m = TableModel.random(5, 3, 1, 40, true);
        BeamSearch.search(m, new int[] {1, 2, 3}, new BeamSearchParams(4, 1f, false, 4, 0), StopConditions.of(new int[0], 8));
        assertThat(m.prefills).isEqualTo(1);
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new BeamSearchParams(0, 1f, true, 1, 0)).hasMessageContaining("beams");
        assertThatThrownBy(() -> new BeamSearchParams(2, 1f, true, 3, 0)).hasMessageContaining("returned sequences");
        assertThatThrownBy(() -> new BeamSearchParams(2, Float.NaN, true, 1, 0)).hasMessageContaining("length penalty");
        assertThatThrownBy(() -> new BeamSearchParams(2, 1f, true, 1, -1)).hasMessageContaining("ngram");
    }
}
