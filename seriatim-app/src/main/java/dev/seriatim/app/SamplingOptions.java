package dev.seriatim.app;

import dev.seriatim.decode.SamplerStage;
import dev.seriatim.decode.SamplingParams;
import dev.seriatim.decode.StopConditions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of every command that samples tokens ({@code generate}, {@code chat}): the
 * processors, the seed, stop strings, the time limit and log-probabilities, with one meaning and
 * one set of defaults (llama.cpp's) everywhere. The token budget stays with each command, whose
 * defaults differ.
 */
final class SamplingOptions {

    private static final SamplingParams D = SamplingParams.DEFAULTS;

    @Option(names = "--temperature", paramLabel = "T", description = "Divide the logits by T; 0 = greedy (default ${DEFAULT-VALUE}).")
    float temperature = D.temperature();

    @Option(names = "--top-k", paramLabel = "K", description = "Keep the K most likely tokens; 0 = off (default ${DEFAULT-VALUE}).")
    int topK = D.topK();

    @Option(names = "--top-p", paramLabel = "P", description = "Keep the smallest most-likely set whose probability reaches P; 1 = off (default ${DEFAULT-VALUE}).")
    float topP = D.topP();

    @Option(names = "--min-p", paramLabel = "P", description = "Keep tokens at least P times as likely as the most likely; 0 = off (default ${DEFAULT-VALUE}).")
    float minP = D.minP();

    @Option(names = "--typical-p", paramLabel = "P", description = "Locally typical sampling: keep the tokens closest to the expected surprise up to probability P; 1 = off (default ${DEFAULT-VALUE}).")
    float typicalP = D.typicalP();

    @Option(names = "--min-keep", paramLabel = "N", description = "Every filter keeps at least N tokens (default ${DEFAULT-VALUE}).")
    int minKeep = D.minKeep();

    @Option(names = "--repeat-penalty", paramLabel = "R", description = "Divide positive / multiply negative logits of tokens in the last --repeat-last-n tokens (prompt included) by R; 1 = off (default ${DEFAULT-VALUE}).")
    float repeatPenalty = D.repeatPenalty();

    @Option(names = "--repeat-last-n", paramLabel = "N", description = "Tokens the penalties look back over; -1 = all, 0 = penalties off (default ${DEFAULT-VALUE}).")
    int repeatLastN = D.repeatLastN();

    @Option(names = "--frequency-penalty", paramLabel = "F", description = "Subtract F times a token's count among the generated tokens (OpenAI); 0 = off (default ${DEFAULT-VALUE}).")
    float frequencyPenalty = D.frequencyPenalty();

    @Option(names = "--presence-penalty", paramLabel = "P", description = "Subtract P from every token already generated (OpenAI); 0 = off (default ${DEFAULT-VALUE}).")
    float presencePenalty = D.presencePenalty();

    @Option(names = "--logit-bias", paramLabel = "ID=BIAS", description = "Add BIAS to token ID's logit; -inf bans it. Repeatable, or comma-separated (default: none).")
    List<String> logitBias = new ArrayList<>();

    @Option(names = "--samplers", paramLabel = "ORDER", description = "Processor order: llama.cpp, hf (temperature first, then top_k, top_p, min_p, typical_p), "
            + "names separated by commas or semicolons from logit_bias, penalties, top_k, typical_p, top_p, min_p, temperature, "
            + "or llama.cpp's letters (kypmt); "
            + "filters left out are not applied (default ${DEFAULT-VALUE}).")
    String samplers = "llama.cpp";

    @Option(names = "--seed", paramLabel = "S", description = "Random seed; the same seed gives the same text (generate: result i uses seed S+i; chat: every reply starts from S) (default ${DEFAULT-VALUE}).")
    long seed = D.seed();

    @Option(names = "--stop", paramLabel = "STR", description = "End a result (a reply) when STR appears, even across tokens; STR is not shown. Repeatable (default: none).")
    List<String> stop = new ArrayList<>();

    @Option(names = "--time-limit", paramLabel = "SECONDS", description = "Stop generating after this many seconds; 0 = no limit (default ${DEFAULT-VALUE}).")
    double timeLimit = 0;

    @Option(names = "--logprobs", paramLabel = "K", description = "With --json: the log-probability of each token and of the K most likely alternatives (0..20), "
            + "from the model's distribution before any processing (default: off).")
    Integer logprobs;

    /** The processors and seed, checked. */
    SamplingParams params() {
        List<SamplerStage> order;
        try {
            order = SamplerStage.parseOrder(samplers);
        } catch (IllegalArgumentException e) {
            throw new InputException("--samplers: " + e.getMessage());
        }
        Map<Integer, Float> bias = LogitBiasParser.parse(logitBias);
        // a value out of range is an IllegalArgumentException naming the option's meaning (exit 2)
        return SamplingParams.builder().temperature(temperature).topK(topK).topP(topP).minP(minP).typicalP(typicalP)
                .minKeep(minKeep).repeatPenalty(repeatPenalty).repeatLastN(repeatLastN)
                .frequencyPenalty(frequencyPenalty).presencePenalty(presencePenalty).logitBias(bias).order(order)
                .seed(seed).build();
    }

    /** Refuses a --logit-bias token outside the model's vocabulary. */
    void checkLogitBias(SamplingParams params, int vocab) {
        for (int id : params.logitBias().keySet()) {
            if (id >= vocab) {
                throw new InputException("--logit-bias: token id " + id + " is outside the vocabulary [0, " + vocab + ")");
            }
        }
    }

    /** The stop conditions: these stop tokens, the budget, --stop and --time-limit, checked. */
    StopConditions stopConditions(int[] stopTokens, int maxTokens) {
        if (maxTokens < 0) {
            throw new InputException("--max-tokens must be >= 0, got " + maxTokens);
        }
        if (!(timeLimit >= 0) || Double.isInfinite(timeLimit)) {
            throw new InputException("--time-limit must be a number of seconds >= 0, got " + timeLimit);
        }
        for (String s : stop) {
            if (s.isEmpty()) {
                throw new InputException("--stop: a stop string must not be empty");
            }
        }
        Duration limit = timeLimit == 0 ? null : Duration.ofNanos(Math.max(1, (long) (timeLimit * 1e9)));
        return new StopConditions(stopTokens, maxTokens, stop, limit);
    }

    /** Whether --logprobs was given (checked to be in 0..20). */
    boolean wantsLogprobs() {
        if (logprobs != null && (logprobs < 0 || logprobs > 20)) {
            throw new InputException("--logprobs must be between 0 and 20, got " + logprobs);
        }
        return logprobs != null;
    }

    /** --logprobs K, or {@code otherwise} when it was not given. */
    int logprobCount(int otherwise) {
        return wantsLogprobs() ? logprobs : otherwise;
    }
}
