package dev.seriatim.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For fixed logits, 100,000 draws from the sampler follow the exact filtered and renormalised
 * distribution (chi-square test at the 0.001 level, fixed seeds), for every processor and some
 * combinations; tokens the filters remove are never drawn.
 */
class SamplerDistributionTest {

    static final int DRAWS = 100_000;

    /** Twelve tokens, positive and negative logits, one tie (tokens 2 and 7), one near-impossible. */
    static final float[] LOGITS = {1.2f, -0.3f, 2.0f, 0.4f, -1.5f, 0.9f, 1.6f, 2.0f, -0.8f, 0.1f, -12f, 1.1f};
    static final int[] PROMPT = {5, 5, 9, 2};
    static final int[] GENERATED = {0, 8, 0, 3, 0};

    static SamplingParams.Builder off() {
        return SamplingParams.builder().temperature(1).topK(0).topP(1).minP(0).typicalP(1).repeatPenalty(1)
                .repeatLastN(64).frequencyPenalty(0).presencePenalty(0).logitBias(Map.of())
                .order(SamplerStage.LLAMA_CPP_ORDER);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("plain softmax", off().build()),
                Arguments.of("temperature 0.5", off().temperature(0.5f).build()),
                Arguments.of("temperature 2", off().temperature(2f).build()),
                Arguments.of("top-k 3 (cuts the tie? no: both tied tokens rank first)", off().topK(3).build()),
                Arguments.of("top-k 2 keeps exactly the tied pair", off().topK(2).build()),
                Arguments.of("top-k 1", off().topK(1).build()),
                Arguments.of("top-k larger than the vocabulary", off().topK(100).build()),
                Arguments.of("top-p 0.7", off().topP(0.7f).build()),
                Arguments.of("top-p 0.05 keeps min-keep 3", off().topP(0.05f).minKeep(3).build()),
                Arguments.of("min-p 0.2", off().minP(0.2f).build()),
                Arguments.of("typical 0.6", off().typicalP(0.6f).build()),
                Arguments.of("typical 0.95", off().typicalP(0.95f).build()),
                Arguments.of("repetition penalty 1.8 over the whole window", off().repeatPenalty(1.8f).build()),
                Arguments.of("repetition penalty 1.8, last 3", off().repeatPenalty(1.8f).repeatLastN(3).build()),
                Arguments.of("frequency and presence", off().frequencyPenalty(0.5f).presencePenalty(0.3f).build()),
                Arguments.of("negative frequency", off().frequencyPenalty(-0.4f).build()),
                Arguments.of("logit bias and a ban", off().logitBias(Map.of(4, 3f, 2, Float.NEGATIVE_INFINITY)).build()),
                Arguments.of("llama.cpp order combination", off().topK(6).topP(0.8f).minP(0.1f).temperature(0.7f)
                        .repeatPenalty(1.3f).build()),
                Arguments.of("hf order combination", off().topK(6).topP(0.8f).minP(0.1f).temperature(0.7f)
                        .repeatPenalty(1.3f).order(SamplerStage.HUGGING_FACE_ORDER).build()),
                Arguments.of("hf order, hot temperature then typical", off().temperature(1.7f).typicalP(0.5f)
                        .order(SamplerStage.HUGGING_FACE_ORDER).build()),
                Arguments.of("custom order min-p then top-k", off().minP(0.3f).topK(2).temperature(1.4f)
                        .order(SamplerStage.parseOrder("temperature;min_p;top_k")).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void drawsFollowTheExactDistribution(String name, SamplingParams params) {
        double[] expected = ReferenceSampling.distribution(LOGITS, params, PROMPT, GENERATED);
        TokenHistory history = new TokenHistory(PROMPT);
        for (int t : GENERATED) {
            history.add(t);
        }
        TokenSampler sampler = new TokenSampler(params.toBuilder().seed(name.hashCode()).build());
        long[] counts = new long[LOGITS.length];
        for (int i = 0; i < DRAWS; i++) {
            counts[sampler.sample(LOGITS, LOGITS.length, history)]++;
        }
        double chi2 = 0;
        int categories = 0;
        for (int t = 0; t < LOGITS.length; t++) {
            double e = expected[t] * DRAWS;
            if (expected[t] == 0) {
                assertThat(counts[t]).as("token %d was filtered out but drawn", t).isZero();
                continue;
            }
            categories++;
            chi2 += (counts[t] - e) * (counts[t] - e) / e;
        }
        if (categories > 1) {
            assertThat(chi2).as("chi-square over %d tokens; expected %s, counts %s", categories,
                    java.util.Arrays.toString(expected), java.util.Arrays.toString(counts))
                    .isLessThan(criticalValue(categories - 1));
        } else {
            assertThat(counts).contains(DRAWS);
        }
    }

    /** The 0.999 quantile of chi-square with {@code df} degrees of freedom (Wilson-Hilferty). */
    static double criticalValue(int df) {
        double z = 3.0902;
        double a = 2.0 / (9.0 * df);
        return df * Math.pow(1 - a + z * Math.sqrt(a), 3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theFiltersKeepWhatTheReferenceKeeps(String name, SamplingParams params) {
        double[] expected = ReferenceSampling.distribution(LOGITS, params, PROMPT, GENERATED);
        TokenHistory history = new TokenHistory(PROMPT);
        for (int t : GENERATED) {
            history.add(t);
        }
        TokenSampler sampler = new TokenSampler(params);
        sampler.sample(LOGITS, LOGITS.length, history);
        Candidates c = sampler.lastCandidates();
        double[] probs = c.probabilities();
        double[] got = new double[LOGITS.length];
        for (int i = 0; i < c.size(); i++) {
            got[c.id(i)] = probs[i];
        }
        for (int t = 0; t < LOGITS.length; t++) {
            assertThat(got[t]).as("token %d", t).isCloseTo(expected[t], org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @org.junit.jupiter.api.Test
    void theTwoPresetOrdersDifferWhenTheTemperatureMatters() {
        SamplingParams llama = off().topP(0.6f).temperature(3f).build();
        SamplingParams hf = llama.toBuilder().order(SamplerStage.HUGGING_FACE_ORDER).build();
        double[] a = ReferenceSampling.distribution(LOGITS, llama, PROMPT, GENERATED);
        double[] b = ReferenceSampling.distribution(LOGITS, hf, PROMPT, GENERATED);
        assertThat(List.of(a)).isNotEqualTo(List.of(b));
        assertThat(java.util.Arrays.stream(b).filter(p -> p > 0).count())
                .isGreaterThan(java.util.Arrays.stream(a).filter(p -> p > 0).count());
    }
}
