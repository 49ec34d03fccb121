package dev.seriatim.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GeneratorTest {

    static final SamplingParams HOT = SamplingParams.DEFAULTS.toBuilder().temperature(1.2f).topK(0).topP(1).minP(0).seed(11).build();

    /** Token i shows PIECES[i % PIECES.length]. */
    static final String[] PIECES = {"a", "b", "<", "/", "s>", " ", "c", "é", "dd", "\n"};

    static Supplier<Detokenizer> pieces() {
        return () -> new Detokenizer() {
            @Override
            public String push(int token) {
                return PIECES[token % PIECES.length];
            }

            @Override
            public String flush() {
                return "";
            }
        };
    }

    @Test
    void theSameSeedGivesTheSameSamples() {
        TableModel m = TableModel.random(20, 1, 2, 200, true);
        GenerationOptions o = new GenerationOptions(HOT, StopConditions.of(new int[0], 30), 3, -1);
        List<Generation> a = Generator.generate(m, new int[] {1, 2}, o, null, GenerationListener.NONE);
        List<Generation> b = Generator.generate(m, new int[] {1, 2}, o, null, GenerationListener.NONE);
        for (int i = 0; i < 3; i++) {
            assertThat(a.get(i).tokens()).hasSize(30).isEqualTo(b.get(i).tokens());
        }
        assertThat(a.get(0).tokens()).isNotEqualTo(a.get(1).tokens());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void samplesShareOnePrefillAndEachEqualsASingleRunWithItsSeed(boolean truncatable) {
        TableModel m = TableModel.random(20, 2, 2, 200, truncatable);
        GenerationOptions o = new GenerationOptions(HOT, StopConditions.of(new int[] {0}, 25), 5, -1);
        List<Generation> all = Generator.generate(m, new int[] {3, 4, 5}, o, null, GenerationListener.NONE);
        assertThat(m.prefills).isEqualTo(1);
        assertThat(m.copies).isEqualTo(truncatable ? 0 : 5);
        for (int i = 0; i < 5; i++) {
            TableModel fresh = TableModel.random(20, 2, 2, 200, true);
            Generation single = Generator.generate(fresh, new int[] {3, 4, 5},
                    HOT.toBuilder().seed(HOT.seed() + i).build(), StopConditions.of(new int[] {0}, 25));
            assertThat(all.get(i).tokens()).as("sample %d", i).isEqualTo(single.tokens());
            assertThat(all.get(i).finishReason()).isEqualTo(single.finishReason());
        }
    }

    @Test
    void aStopTokenEndsTheSampleAndIsNotIncluded() {
        float[][] table = new float[4][4];
        table[1] = new float[] {0, 0, 5, 0};  // 1 -> 2
        table[2] = new float[] {0, 0, 0, 5};  // 2 -> 3
        table[3] = new float[] {9, 0, 0, 0};  // 3 -> 0 (the stop token)
        Generation g = Generator.generate(new TableModel(table, 50, true), new int[] {1}, SamplingParams.GREEDY,
                StopConditions.of(new int[] {0}, 10));
        assertThat(g.tokens()).containsExactly(2, 3);
        assertThat(g.finishReason()).isEqualTo(FinishReason.STOP);
        Generation budget = Generator.generate(new TableModel(table, 50, true), new int[] {1}, SamplingParams.GREEDY,
                StopConditions.of(new int[] {0}, 1));
        assertThat(budget.tokens()).containsExactly(2);
        assertThat(budget.finishReason()).isEqualTo(FinishReason.LENGTH);
        Generation none = Generator.generate(new TableModel(table, 50, true), new int[] {1}, SamplingParams.GREEDY,
                StopConditions.of(new int[] {0}, 0));
        assertThat(none.tokens()).isEmpty();
    }

    @Test
    void theStateIsReservedForThePromptAndTheBudgetButNoMore() {
        TableModel m = TableModel.random(10, 3, 1, 200, true);
        Generation g = Generator.generate(m, new int[] {1, 2, 3}, HOT, StopConditions.of(new int[0], 20));
        assertThat(g.tokens()).hasSize(20);
        // the last of the 20 tokens is emitted but never appended
        assertThat(m.reserved).isEqualTo(3 + 19).isEqualTo(m.longest);

        TableModel small = TableModel.random(10, 3, 1, 8, true);
        Generator.generate(small, new int[] {1, 2, 3}, HOT, StopConditions.of(new int[0], 100));
        assertThat(small.reserved).isEqualTo(8).isEqualTo(small.longest); // capped at the context
    }

    @Test
    void theContextEndsGeneration() {
        TableModel m = TableModel.random(10, 3, 1, 8, true);
        Generation g = Generator.generate(m, new int[] {1, 2, 3}, HOT, StopConditions.of(new int[0], 100));
        // 5 more positions fit, and the last token is emitted without being appended
        assertThat(g.tokens()).hasSize(6);
        assertThat(g.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void aStopStringAcrossTokensCutsTheTextAndStreamsNoPartOfIt() {
        // greedy chain 0 -> 2 "<" -> 3 "/" -> 4 "s>" -> 6 "c" ...; and 1 "b" first
        float[][] table = new float[10][10];
        table[9] = hot(10, 1);
        table[1] = hot(10, 2);
        table[2] = hot(10, 3);
        table[3] = hot(10, 4);
        table[4] = hot(10, 6);
        table[6] = hot(10, 6);
        List<String> streamed = new ArrayList<>();
        GenerationOptions o = new GenerationOptions(SamplingParams.GREEDY,
                new StopConditions(new int[0], 20, List.of("</s>"), null), 1, -1);
        Generation g = Generator.generate(new TableModel(table, 50, true), new int[] {9}, o, pieces(),
                new GenerationListener() {
                    @Override
                    public void onText(int sample, String text) {
                        streamed.add(text);
                    }
                }).getFirst();
        assertThat(g.text()).isEqualTo("b");
        assertThat(String.join("", streamed)).isEqualTo("b");
        assertThat(g.tokens()).containsExactly(1, 2, 3, 4);
        assertThat(g.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void textThatOnlyLooksLikeAStopStringIsReleasedAtTheEnd() {
        float[][] table = new float[10][10];
        table[9] = hot(10, 1);
        table[1] = hot(10, 2);
        table[2] = hot(10, 3);
        table[3] = hot(10, 3);
        GenerationOptions o = new GenerationOptions(SamplingParams.GREEDY,
                new StopConditions(new int[0], 2, List.of("</s>"), null), 1, -1);
        Generation g = Generator.generate(new TableModel(table, 50, true), new int[] {9}, o, pieces(),
                GenerationListener.NONE).getFirst();
        assertThat(g.text()).isEqualTo("b<");
        assertThat(g.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void logprobsAreTheModelsOwnBeforeProcessing() {
        TableModel m = TableModel.random(12, 4, 2, 100, true);
        SamplingParams p = HOT.toBuilder().temperature(0.3f).topK(3).repeatPenalty(1.5f).build();
        GenerationOptions o = new GenerationOptions(p, StopConditions.of(new int[0], 15), 2, 4);
        List<TokenLogprob> streamed = new ArrayList<>();
        List<Generation> gs = Generator.generate(m, new int[] {5}, o, null, new GenerationListener() {
            @Override
            public void onToken(int sample, int token, TokenLogprob logprob) {
                streamed.add(logprob);
            }
        });
        assertThat(streamed).hasSize(30);
        for (Generation g : gs) {
            assertThat(g.logprobs()).hasSize(g.tokens().length);
            int last = 5;
            for (int i = 0; i < g.tokens().length; i++) {
                TokenLogprob lp = g.logprobs().get(i);
                assertThat(lp.token()).isEqualTo(g.tokens()[i]);
                assertThat(lp.logprob()).isCloseTo(m.logprob(last, lp.token()), org.assertj.core.data.Offset.offset(1e-9));
                assertThat(lp.topTokens()).hasSize(4);
                assertThat(lp.topTokens()[0]).isEqualTo(TokenSampler.argmax(m.table[last], 12));
                for (int k = 0; k < 4; k++) {
                    assertThat(lp.topLogprobs()[k]).isCloseTo(m.logprob(last, lp.topTokens()[k]),
                            org.assertj.core.data.Offset.offset(1e-9));
                    if (k > 0) {
                        assertThat(lp.topLogprobs()[k]).isLessThanOrEqualTo(lp.topLogprobs()[k - 1]);
                    }
                }
                last = g.tokens()[i];
            }
        }
    }

    @Test
    void topLogprobsBreakTiesByLowerIdAndCapAtTheVocabulary() {
        TokenLogprob lp = TokenLogprob.of(new float[] {1f, 3f, 3f, 2f}, 4, 3, 10);
        assertThat(lp.topTokens()).containsExactly(1, 2, 3, 0);
        assertThat(lp.logprob()).isEqualTo(lp.topLogprobs()[2]);
        assertThat(TokenLogprob.of(new float[] {1f, 3f}, 2, 0, 0).topTokens()).isEmpty();
    }

    @Test
    void aSpentTimeLimitEndsGeneration() {
        TableModel m = TableModel.random(10, 5, 1, 100, true);
        GenerationOptions o = new GenerationOptions(HOT,
                new StopConditions(new int[0], 50, List.of(), Duration.ofNanos(1)), 2, -1);
        List<Generation> gs = Generator.generate(m, new int[] {1, 2}, o, null, GenerationListener.NONE);
        for (Generation g : gs) {
            assertThat(g.finishReason()).isEqualTo(FinishReason.TIME_LIMIT);
            assertThat(g.tokens()).isEmpty();
        }
    }

    @Test
    void badRequestsAreRefused() {
        TableModel m = TableModel.random(10, 5, 1, 4, true);
        assertThatThrownBy(() -> Generator.generate(m, new int[0], HOT, StopConditions.of(new int[0], 5)))
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> Generator.generate(m, new int[] {1, 2, 3, 4}, HOT, StopConditions.of(new int[0], 5)))
                .hasMessageContaining("no room");
        assertThatThrownBy(() -> new StopConditions(new int[0], 5, List.of(""), null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> new GenerationOptions(HOT, StopConditions.of(new int[0], 1), 0, -1))
                .hasMessageContaining("samples");
        assertThatThrownBy(() -> Generator.generate(m, new int[] {1},
                new GenerationOptions(HOT, new StopConditions(new int[0], 5, List.of("x"), null), 1, -1), null,
                GenerationListener.NONE)).hasMessageContaining("detokenizer");
    }

    static float[] hot(int vocab, int token) {
        float[] row = new float[vocab];
        row[token] = 10;
        return row;
    }
}
