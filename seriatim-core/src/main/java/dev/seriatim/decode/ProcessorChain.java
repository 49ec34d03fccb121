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
            // stages that are switched off are left out, so an all-default chain costs nothing
            switch (stage) {
                case LOGIT_BIAS -> {
                    if (!params.logitBias().isEmpty()) {
                        list.add(new LogitBias(params.logitBias()));
                    }
                }
                case PENALTIES -> {
                    if (params.repeatPenalty() != 1f && params.repeatLastN() != 0) {
                        list.add(new RepetitionPenalty(params.repeatPenalty(), params.repeatLastN()));
                    }
                    if ((params.frequencyPenalty() != 0f || params.presencePenalty() != 0f) && params.repeatLastN() != 0) {
                        list.add(new FrequencyPresencePenalty(params.frequencyPenalty(), params.presencePenalty(),
                                params.repeatLastN()));
                    }
                }
                case TOP_K -> {
                    if (params.topK() > 0) {
                        list.add(new TopKFilter(params.topK(), params.minKeep()));
                    }
                }
                case TYPICAL_P -> {
                    if (params.typicalP() < 1f) {
                        list.add(new TypicalFilter(params.typicalP(), params.minKeep()));
                    }
                }
                case TOP_P -> {
                    if (params.topP() < 1f) {
                        list.add(new TopPFilter(params.topP(), params.minKeep()));
                    }
                }
                case MIN_P -> {
                    if (params.minP() > 0f) {
                        list.add(new MinPFilter(params.minP(), params.minKeep()));
                    }
                }
                case TEMPERATURE -> {
                    if (params.temperature() != 1f) {
                        list.add(new Temperature(params.temperature()));
                    }
                }
            }
        }
        return new ProcessorChain(list);
    }

    /** Whether the chain does nothing at all. */
    public boolean isEmpty() {
        return processors.length == 0;
    }

    @Override
    public void apply(Candidates candidates, TokenHistory history) {
        for (LogitProcessor p : processors) {
            p.apply(candidates, history);
        }
    }
}
