package dev.seriatim.decode;

import java.util.ArrayList;
import java.util.List;

/** Processors applied one after the other, in the order given. */
public final class ProcessorChain implements LogitProcessor {

    private final LogitProcessor[] processors;

    public ProcessorChain(List<? extends LogitProcessor> processors) {
        this.processors = processors.toArray(new LogitProcessor[0]);
    }

    /**
     * The chain {@code params} describe, in {@code params.order()}. For greedy decoding
     * (temperature 0) only the logit bias and the penalties run: the filters could only remove
     * tokens other than the most likely one, except typical-p, which would otherwise be able to
     * remove it.
     */
    public static ProcessorChain of(SamplingParams params) {
        List<LogitProcessor> list = new ArrayList<>();
        for (SamplerStage stage : params.order()) {
            if (params.greedy() && stage != SamplerStage.LOGIT_BIAS && stage != SamplerStage.PENALTIES) {
                continue;
            }
            switch (stage) {
                case LOGIT_BIAS -> {
                    if (!params.logitBias().isEmpty()) {
                        list.add(new LogitBias(params.logitBias()));
                    }
                }
                case PENALTIES -> {
                    list.add(new RepetitionPenalty(params.repeatPenalty(), params.repeatLastN()));
                    list.add(new FrequencyPresencePenalty(params.frequencyPenalty(), params.presencePenalty(),
                            params.repeatLastN()));
                }
                case TOP_K -> list.add(new TopKFilter(params.topK(), params.minKeep()));
                case TYPICAL_P -> list.add(new TypicalFilter(params.typicalP(), params.minKeep()));
                case TOP_P -> list.add(new TopPFilter(params.topP(), params.minKeep()));
                case MIN_P -> list.add(new MinPFilter(params.minP(), params.minKeep()));
                case TEMPERATURE -> list.add(new Temperature(params.temperature()));
            }
        }
        return new ProcessorChain(list);
    }

    @Override
    public void apply(Candidates candidates, TokenHistory history) {
        for (LogitProcessor p : processors) {
            p.apply(candidates, history);
        }
    }
}
