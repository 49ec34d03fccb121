package dev.seriatim.decode;

import java.util.List;
import java.util.Map;

/**
 * Everything that decides how the next token is picked from the logits. Defaults are
 * llama.cpp's ({@link #DEFAULTS}); every filter has an "off" value. The processors' exact
 * definitions are in their Javadoc.
 *
 * @param temperature      {@link Temperature}: 0 = greedy, 1 = off
 * @param topK             {@link TopKFilter}: 0 = off
 * @param topP             {@link TopPFilter}: in (0, 1], 1 = off
 * @param minP             {@link MinPFilter}: in [0, 1], 0 = off
 * @param typicalP         {@link TypicalFilter}: in (0, 1], 1 = off
 * @param minKeep          each filter keeps at least this many tokens (>= 1)
 * @param repeatPenalty    {@link RepetitionPenalty}: 1 = off
 * @param repeatLastN      tokens the penalties look back over: -1 = all, 0 = penalties off
 * @param frequencyPenalty {@link FrequencyPresencePenalty}: 0 = off
 * @param presencePenalty  {@link FrequencyPresencePenalty}: 0 = off
 * @param logitBias        {@link LogitBias}: token id to bias (-infinity bans the token)
 * @param order            the stages in the order they run ({@link SamplerStage#parseOrder})
 * @param seed             seed of the random generator: the same seed gives the same picks
 */
public record SamplingParams(float temperature, int topK, float topP, float minP, float typicalP, int minKeep,
                             float repeatPenalty, int repeatLastN, float frequencyPenalty, float presencePenalty,
                             Map<Integer, Float> logitBias, List<SamplerStage> order, long seed) {

    /** llama.cpp's defaults: temperature 0.8, top-k 40, top-p 0.95, min-p 0.05, last-n 64, seed 42. */
    public static final SamplingParams DEFAULTS = new SamplingParams(0.8f, 40, 0.95f, 0.05f, 1f, 1,
            1f, 64, 0f, 0f, Map.of(), SamplerStage.LLAMA_CPP_ORDER, 42);

    /** Greedy decoding: always the most likely token. */
    public static final SamplingParams GREEDY = DEFAULTS.toBuilder().temperature(0).build();

    public SamplingParams {
        // create the processors once: their constructors hold the checks and messages
        new Temperature(temperature);
        new TopKFilter(topK, 1);
        new TopPFilter(topP, 1);
        new MinPFilter(minP, 1);
        new TypicalFilter(typicalP, 1);
        new RepetitionPenalty(repeatPenalty, repeatLastN);
        new FrequencyPresencePenalty(frequencyPenalty, presencePenalty, repeatLastN);
        new LogitBias(logitBias);
        if (minKeep < 1) {
            throw new IllegalArgumentException("min-keep must be >= 1, got " + minKeep);
        }
        logitBias = Map.copyOf(logitBias);
        order = List.copyOf(order);
        if (order.stream().distinct().count() != order.size()) {
            throw new IllegalArgumentException("a sampler stage is listed twice in " + order);
        }
    }

    /** The common four: the rest as in {@link #DEFAULTS} but with min-p off. */
    public static SamplingParams of(float temperature, int topK, float topP, long seed) {
        return DEFAULTS.toBuilder().temperature(temperature).topK(topK).topP(topP).minP(0).seed(seed).build();
    }

    public boolean greedy() {
        return temperature == 0f;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /** Changes a few settings of a {@link SamplingParams}; {@link #build} checks them. */
    public static final class Builder {
        private float temperature;
        private int topK;
        private float topP;
        private float minP;
        private float typicalP;
        private int minKeep;
        private float repeatPenalty;
        private int repeatLastN;
        private float frequencyPenalty;
        private float presencePenalty;
        private Map<Integer, Float> logitBias;
        private List<SamplerStage> order;
        private long seed;

        private Builder(SamplingParams p) {
            temperature = p.temperature;
            topK = p.topK;
            topP = p.topP;
            minP = p.minP;
            typicalP = p.typicalP;
            minKeep = p.minKeep;
            repeatPenalty = p.repeatPenalty;
            repeatLastN = p.repeatLastN;
            frequencyPenalty = p.frequencyPenalty;
            presencePenalty = p.presencePenalty;
            logitBias = p.logitBias;
            order = p.order;
            seed = p.seed;
        }

        public Builder temperature(float v) {
            temperature = v;
            return this;
        }

        public Builder topK(int v) {
            topK = v;
            return this;
        }

        public Builder topP(float v) {
            topP = v;
            return this;
        }

        public Builder minP(float v) {
            minP = v;
            return this;
        }

        public Builder typicalP(float v) {
            typicalP = v;
            return this;
        }

        public Builder minKeep(int v) {
            minKeep = v;
            return this;
        }

        public Builder repeatPenalty(float v) {
            repeatPenalty = v;
            return this;
        }

        public Builder repeatLastN(int v) {
            repeatLastN = v;
            return this;
        }

        public Builder frequencyPenalty(float v) {
            frequencyPenalty = v;
            return this;
        }

        public Builder presencePenalty(float v) {
            presencePenalty = v;
            return this;
        }

        public Builder logitBias(Map<Integer, Float> v) {
            logitBias = v;
            return this;
        }

        public Builder order(List<SamplerStage> v) {
            order = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public SamplingParams build() {
            return new SamplingParams(temperature, topK, topP, minP, typicalP, minKeep, repeatPenalty, repeatLastN,
                    frequencyPenalty, presencePenalty, logitBias, order, seed);
        }
    }
}
