package dev.seriatim.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SamplerEdgeCaseTest {

    static final float NEG = Float.NEGATIVE_INFINITY;

    @Test
    void onlyTheOneFiniteTokenCanBeDrawn() {
        float[] logits = {NEG, NEG, NEG, 3f, NEG};
        for (SamplingParams p : new SamplingParams[] {SamplingParams.DEFAULTS, SamplingParams.GREEDY,
                SamplingParams.DEFAULTS.toBuilder().typicalP(0.5f).topK(0).minP(0).build(),
                SamplingParams.DEFAULTS.toBuilder().temperature(5).repeatPenalty(2).frequencyPenalty(1).build()}) {
            TokenSampler s = new TokenSampler(p);
            for (int i = 0; i < 200; i++) {
                assertThat(s.sample(logits, logits.length)).isEqualTo(3);
            }
        }
    }

    @Test
    void aNanLogitIsAClearError() {
        float[] logits = {0f, Float.NaN, 1f};
        assertThatThrownBy(() -> new TokenSampler(SamplingParams.DEFAULTS).sample(logits, 3))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("non-finite logit").hasMessageContaining("token 1");
        float[] inf = {0f, Float.POSITIVE_INFINITY};
        assertThatThrownBy(() -> new TokenSampler(SamplingParams.GREEDY).sample(inf, 2))
                .hasMessageContaining("non-finite");
    }

    @Test
    void everythingBannedIsAClearError() {
        float[] logits = {1f, 2f};
        SamplingParams p = SamplingParams.DEFAULTS.toBuilder().logitBias(Map.of(0, NEG, 1, NEG)).build();
        assertThatThrownBy(() -> new TokenSampler(p).sample(logits, 2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("every candidate");
        SamplingParams g = p.toBuilder().temperature(0).build();
        assertThatThrownBy(() -> new TokenSampler(g).sample(logits, 2)).hasMessageContaining("every candidate");
    }

    @Test
    void greedyBreaksTiesByTheLowestId() {
        float[] logits = {0f, 4f, 1f, 4f, 4f};
        assertThat(new TokenSampler(SamplingParams.GREEDY).sample(logits, 5)).isEqualTo(1);
        assertThat(TokenSampler.argmax(logits, 5)).isEqualTo(1);
        SamplingParams zeroTemp = SamplingParams.DEFAULTS.toBuilder().temperature(0).build();
        assertThat(new TokenSampler(zeroTemp).sample(logits, 5)).isEqualTo(1);
    }

    @Test
    void temperatureZeroInsideACustomChainKeepsOnlyTheBest() {
        Candidates c = new Candidates(4);
        c.reset(new float[] {1f, 3f, 3f, 2f}, 4);
        new Temperature(0).apply(c, new TokenHistory(new int[0]));
        assertThat(c.size()).isEqualTo(1);
        assertThat(c.id(0)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(floats = {1e-3f, 1e-8f, 1e-20f, 1e-38f, Float.MIN_VALUE})
    void aTinyTemperatureIsGreedy(float t) {
        float[] logits = {5f, 4.99f, -30f, 4.5f};
        TokenSampler s = new TokenSampler(SamplingParams.DEFAULTS.toBuilder().temperature(t).topK(0).topP(1).minP(0).build());
        for (int i = 0; i < 500; i++) {
            assertThat(s.sample(logits, 4)).isZero();
        }
    }

    @Test
    void topPOfOneAndTopKAboveTheVocabularyKeepEverything() {
        float[] logits = {0f, -1f, -2f, -3f, -20f};
        SamplingParams p = SamplingParams.DEFAULTS.toBuilder().topK(1000).topP(1).minP(0).build();
        TokenSampler s = new TokenSampler(p);
        s.sample(logits, 5);
        assertThat(s.lastCandidates().size()).isEqualTo(5);
    }

    @Test
    void minKeepHoldsForEveryFilter() {
        float[] logits = {10f, 0f, -1f, -2f, -3f};
        TokenHistory h = new TokenHistory(new int[0]);
        for (LogitProcessor f : new LogitProcessor[] {new TopKFilter(1, 3), new TopPFilter(0.01f, 3),
                new MinPFilter(0.9f, 3), new TypicalFilter(0.01f, 3)}) {
            Candidates c = new Candidates(5);
            c.reset(logits, 5);
            f.apply(c, h);
            assertThat(c.size()).as(f.getClass().getSimpleName()).isEqualTo(3);
        }
    }

    @Test
    void theSameSeedGivesTheSameTokensAndAnotherSeedOthers() {
        Random r = new Random(1);
        float[] logits = new float[500];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) r.nextGaussian() * 2;
        }
        SamplingParams p = SamplingParams.DEFAULTS.toBuilder().topK(0).minP(0).topP(1).temperature(1.5f).build();
        int[] a = draws(new TokenSampler(p.toBuilder().seed(7).build()), logits);
        int[] b = draws(new TokenSampler(p.toBuilder().seed(7).build()), logits);
        int[] c = draws(new TokenSampler(p.toBuilder().seed(8).build()), logits);
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        TokenSampler reseeded = new TokenSampler(p.toBuilder().seed(99).build());
        reseeded.reseed(7);
        assertThat(draws(reseeded, logits)).isEqualTo(a);
    }

    private static int[] draws(TokenSampler s, float[] logits) {
        return IntStream.range(0, 50).map(i -> s.sample(logits, logits.length)).toArray();
    }

    @Test
    void theModelsLogitsAreNotModified() {
        float[] logits = {1f, 2f, 3f};
        float[] copy = logits.clone();
        new TokenSampler(SamplingParams.DEFAULTS.toBuilder().temperature(0.3f).repeatPenalty(2)
                .logitBias(Map.of(0, 5f)).build()).sample(logits, 3, new TokenHistory(new int[] {2}));
        assertThat(logits).isEqualTo(copy);
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        SamplingParams.Builder b = SamplingParams.builder();
        assertThatThrownBy(() -> b.topP(1.5f).build()).hasMessageContaining("top-p");
        assertThatThrownBy(() -> SamplingParams.builder().topK(-1).build()).hasMessageContaining("top-k");
        assertThatThrownBy(() -> SamplingParams.builder().minP(-0.1f).build()).hasMessageContaining("min-p");
        assertThatThrownBy(() -> SamplingParams.builder().typicalP(0).build()).hasMessageContaining("typical-p");
        assertThatThrownBy(() -> SamplingParams.builder().temperature(-1).build()).hasMessageContaining("temperature");
        assertThatThrownBy(() -> SamplingParams.builder().temperature(Float.NaN).build()).hasMessageContaining("temperature");
        assertThatThrownBy(() -> SamplingParams.builder().repeatPenalty(0).build()).hasMessageContaining("repeat penalty");
        assertThatThrownBy(() -> SamplingParams.builder().repeatLastN(-2).build()).hasMessageContaining("repeat-last-n");
        assertThatThrownBy(() -> SamplingParams.builder().minKeep(0).build()).hasMessageContaining("min-keep");
        assertThatThrownBy(() -> SamplingParams.builder().logitBias(Map.of(-1, 1f)).build()).hasMessageContaining("token id");
        assertThatThrownBy(() -> SamplingParams.builder().logitBias(Map.of(1, Float.POSITIVE_INFINITY)).build())
                .hasMessageContaining("logit bias");
        assertThatThrownBy(() -> SamplerStage.parseOrder("top_k,nucleus")).hasMessageContaining("unknown sampler 'nucleus'");
        assertThatThrownBy(() -> SamplerStage.parseOrder("top_k;top_k")).hasMessageContaining("twice");
        assertThatThrownBy(() -> SamplerStage.parseOrder("kk")).hasMessageContaining("twice");
    }

    @Test
    void aBiasOutsideTheVocabularyIsAClearError() {
        SamplingParams p = SamplingParams.DEFAULTS.toBuilder().logitBias(Map.of(10, 1f)).build();
        assertThatThrownBy(() -> new TokenSampler(p).sample(new float[] {1f, 2f}, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token 10");
    }

    @Test
    void orderNamesAndPresets() {
        assertThat(SamplerStage.parseOrder("llama.cpp")).isEqualTo(SamplerStage.LLAMA_CPP_ORDER);
        assertThat(SamplerStage.parseOrder("hf")).isEqualTo(SamplerStage.HUGGING_FACE_ORDER);
        assertThat(SamplerStage.parseOrder("top_k;typ_p;top_p;min_p;temperature")).isEqualTo(SamplerStage.LLAMA_CPP_ORDER);
        assertThat(SamplerStage.parseOrder("kypmt")).isEqualTo(SamplerStage.LLAMA_CPP_ORDER);
        assertThat(SamplerStage.parseOrder("tkpmy")).isEqualTo(SamplerStage.HUGGING_FACE_ORDER);
        assertThat(SamplerStage.parseOrder("temp,top_k")).containsExactly(SamplerStage.LOGIT_BIAS, SamplerStage.PENALTIES,
                SamplerStage.TEMPERATURE, SamplerStage.TOP_K);
    }

    @Test
    void penaltiesFollowTheirDefinitions() {
        TokenHistory h = new TokenHistory(new int[] {0, 1});
        h.add(2);
        h.add(2);
        Candidates c = new Candidates(4);
        c.reset(new float[] {2f, -2f, 1f, 1f}, 4);
        new RepetitionPenalty(2f, -1).apply(c, h);
        assertThat(new float[] {c.logit(0), c.logit(1), c.logit(2), c.logit(3)}).containsExactly(1f, -4f, 0.5f, 1f);
        c.reset(new float[] {2f, -2f, 1f, 1f}, 4);
        new FrequencyPresencePenalty(0.5f, 0.25f, -1).apply(c, h);
        // the prompt (tokens 0 and 1) does not count; token 2 was generated twice
        assertThat(new float[] {c.logit(0), c.logit(1), c.logit(2), c.logit(3)}).containsExactly(2f, -2f, -0.25f, 1f);
        c.reset(new float[] {2f, -2f, 1f, 1f}, 4);
        new RepetitionPenalty(2f, 2).apply(c, h);
        assertThat(new float[] {c.logit(0), c.logit(1), c.logit(2), c.logit(3)}).containsExactly(2f, -2f, 0.5f, 1f);
    }

    @Test
    void consecutiveSeedsGiveIndependentFirstDraws() {
        // uniform over 10 tokens: the first draw of seeds 0..999 must spread over all of them
        float[] flat = new float[10];
        long[] counts = new long[10];
        SamplingParams p = SamplingParams.DEFAULTS.toBuilder().temperature(1).topK(0).topP(1).minP(0).build();
        TokenSampler s = new TokenSampler(p);
        for (int seed = 0; seed < 1000; seed++) {
            s.reseed(seed);
            counts[s.sample(flat, 10)]++;
        }
        double chi2 = 0;
        for (long c : counts) {
            chi2 += (c - 100.0) * (c - 100.0) / 100.0;
        }
        assertThat(chi2).isLessThan(SamplerDistributionTest.criticalValue(9));
    }
}
