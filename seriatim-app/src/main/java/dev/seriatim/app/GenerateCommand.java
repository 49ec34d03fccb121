package dev.seriatim.app;

import dev.seriatim.decode.BeamHypothesis;
import dev.seriatim.decode.BeamSearch;
import dev.seriatim.decode.BeamSearchParams;
import dev.seriatim.decode.BestOfN;
import dev.seriatim.decode.Generation;
import dev.seriatim.decode.GenerationListener;
import dev.seriatim.decode.GenerationOptions;
import dev.seriatim.decode.Generator;
import dev.seriatim.decode.RejectionSampling;
import dev.seriatim.decode.SamplerStage;
import dev.seriatim.decode.SamplingParams;
import dev.seriatim.decode.StopConditions;
import dev.seriatim.text.TextModel;
import dev.seriatim.text.tokenizer.IncrementalDecoder;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Continues a prompt by sampling, beam search or rejection sampling, streaming the text. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Continue PROMPT with the model, streaming the new text to stdout.",
                "Sampling runs the processors in the --samplers order (default llama.cpp's: logit bias, penalties, "
                        + "top-k, typical-p, top-p, min-p, temperature), then draws with the seed. "
                        + "Values that switch a filter off: --top-k 0, --top-p 1, --min-p 0, --typical-p 1, "
                        + "--repeat-penalty 1. With several results, --json prints one JSON object per line."})
final class GenerateCommand implements Callable<Integer> {

    private static final SamplingParams D = SamplingParams.DEFAULTS;

    @Mixin
    ModelOptions options;

    @Parameters(arity = "1..*", paramLabel = "PROMPT", description = "The text to continue (several words are joined by spaces).")
    List<String> prompt;

    @Option(names = {"-n", "--max-tokens"}, paramLabel = "N", description = "Most new tokens per result; not to be confused with --n (default ${DEFAULT-VALUE}).")
    int maxTokens = 128;

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

    @Option(names = "--seed", paramLabel = "S", description = "Random seed; the same seed gives the same text; result i uses seed S+i (default ${DEFAULT-VALUE}).")
    long seed = D.seed();

    @Option(names = "--stop", paramLabel = "STR", description = "End a result when STR appears, even across tokens; STR is not shown. Repeatable (default: none).")
    List<String> stop = new ArrayList<>();

    @Option(names = "--time-limit", paramLabel = "SECONDS", description = "Stop generating after this many seconds; 0 = no limit (default ${DEFAULT-VALUE}).")
    double timeLimit = 0;

    @Option(names = "--n", paramLabel = "N", description = "Independent samples of the prompt, sharing one prefill (default ${DEFAULT-VALUE}).")
    int samples = 1;

    @Option(names = "--best-of", paramLabel = "B", description = "Draw B samples (one prefill) and print the --n best by the model's mean log-probability per token, best first; 0 = off (default ${DEFAULT-VALUE}).")
    int bestOf = 0;

    @Option(names = "--logprobs", paramLabel = "K", description = "With --json: the log-probability of each token and of the K most likely alternatives (0..20), "
            + "from the model's distribution before any processing (default: off).")
    Integer logprobs;

    @Option(names = "--beams", paramLabel = "N", description = "Beam search with N beams instead of sampling; 0 = off (default ${DEFAULT-VALUE}).")
    int beams = 0;

    @Option(names = "--num-return", paramLabel = "N", description = "With --beams: how many of the best sequences to print, at most the beams (default ${DEFAULT-VALUE}).")
    int numReturn = 1;

    @Option(names = "--length-penalty", paramLabel = "A", description = "With --beams: rank by sum of logprobs / length^A; > 0 favours longer results (default ${DEFAULT-VALUE}).")
    float lengthPenalty = 1f;

    @Option(names = "--early-stopping", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "With --beams: stop once N sequences are finished; --no-early-stopping searches until no beam can do better (default ${DEFAULT-VALUE}).")
    boolean earlyStopping = true;

    @Option(names = "--no-repeat-ngram", paramLabel = "N", description = "With --beams: no N-gram may occur twice; 0 = off (default ${DEFAULT-VALUE}).")
    int noRepeatNgram = 0;

    @Option(names = "--reject-unless", paramLabel = "REGEX", description = "Rejection sampling: draw samples until one's text contains a match of REGEX (default: off).")
    String rejectUnless;

    @Option(names = "--max-tries", paramLabel = "N", description = "With --reject-unless: most samples to draw (default ${DEFAULT-VALUE}).")
    int maxTries = 10;

    @Option(names = "--json", description = "Print {\"text\":..,\"tokens\":[..],\"finish_reason\":..} per result (one per line) instead of streaming text.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SamplingParams sampling = samplingParams();
        StopConditions stopConditions = stopConditions(new int[0]);
        checkModes();
        PrintWriter out = spec.commandLine().getOut();
        try (TextModel model = options.open()) {
            int vocab = model.config().vocabSize();
            for (int id : sampling.logitBias().keySet()) {
                if (id >= vocab) {
                    throw new InputException("--logit-bias: token id " + id + " is outside the vocabulary [0, " + vocab + ")");
                }
            }
            int[] context = model.promptTokens(String.join(" ", prompt));
            if (context.length == 0) {
                throw new InputException("the prompt is empty and the model has no beginning-of-sequence token to start from");
            }
            StopConditions stops = stopConditions(model.stopTokens());
            GenerationJson format = new GenerationJson(model.tokenizer());
            if (beams > 0) {
                beamSearch(model, context, stops, format, out);
            } else if (bestOf > 0) {
                bestOf(model, context, sampling, stops, format, out);
            } else if (rejectUnless != null) {
                return rejection(model, context, sampling, stops, format, out);
            } else {
                sample(model, context, sampling, stops, format, out);
            }
            out.flush();
        }
        return 0;
    }

    private void sample(TextModel model, int[] context, SamplingParams sampling, StopConditions stops,
                        GenerationJson format, PrintWriter out) {
        GenerationOptions o = new GenerationOptions(sampling, stops, samples, logprobs == null ? -1 : logprobs);
        if (!json && samples > 1) {
            out.println(separator(1, samples));
        }
        Generator.generate(model.transformer(), context, o, () -> new IncrementalDecoder(model.tokenizer()),
                new GenerationListener() {
                    @Override
                    public void onText(int sample, String text) {
                        if (!json) {
                            out.print(text);
                            out.flush();
                        }
                    }

                    @Override
                    public void onFinish(int sample, Generation g) {
                        if (json) {
                            out.println(Json.write(format.of(g, logprobs != null)));
                        } else {
                            out.println();
                            if (samples > 1 && sample + 1 < samples) {
                                out.println(separator(sample + 2, samples));
                            }
                        }
                        out.flush();
                    }
                });
    }

    private void bestOf(TextModel model, int[] context, SamplingParams sampling, StopConditions stops,
                        GenerationJson format, PrintWriter out) {
        GenerationOptions o = new GenerationOptions(sampling, stops, bestOf, logprobs == null ? 0 : logprobs);
        BestOfN.Result r = BestOfN.pick(model.transformer(), context, o, () -> new IncrementalDecoder(model.tokenizer()),
                GenerationListener.NONE);
        int[] ranking = r.ranking(samples);
        for (int k = 0; k < ranking.length; k++) {
            Generation g = r.all().get(ranking[k]);
            if (json) {
                var node = format.of(g, logprobs != null);
                node.put("score", r.scores()[ranking[k]]);
                out.println(Json.write(node));
            } else {
                if (ranking.length > 1) {
                    out.println(separator(k + 1, ranking.length));
                }
                out.println(g.text());
            }
        }
    }

    private int rejection(TextModel model, int[] context, SamplingParams sampling, StopConditions stops,
                          GenerationJson format, PrintWriter out) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(rejectUnless);
        } catch (PatternSyntaxException e) {
            throw new InputException("--reject-unless: not a valid regular expression: " + e.getDescription()
                    + " near index " + e.getIndex());
        }
        GenerationOptions o = new GenerationOptions(sampling, stops, 1, logprobs == null ? -1 : logprobs);
        RejectionSampling.Result r = RejectionSampling.sample(model.transformer(), context, o,
                () -> new IncrementalDecoder(model.tokenizer()), g -> pattern.matcher(g.text()).find(), maxTries,
                GenerationListener.NONE);
        if (json) {
            Generation shown = r.succeeded() ? r.accepted() : r.attempts().getLast();
            var node = format.of(shown, logprobs != null);
            node.put("accepted", r.succeeded());
            node.put("attempts", r.tries());
            out.println(Json.write(node));
        } else if (r.succeeded()) {
            out.println(r.accepted().text());
        }
        out.flush();
        if (!r.succeeded()) {
            spec.commandLine().getErr().println("seriatim: no sample matched --reject-unless " + rejectUnless + " in "
                    + r.tries() + " tries");
            spec.commandLine().getErr().flush();
            return CliErrors.FAILURE;
        }
        return 0;
    }

    private void beamSearch(TextModel model, int[] context, StopConditions stops, GenerationJson format, PrintWriter out) {
        BeamSearchParams p = new BeamSearchParams(beams, lengthPenalty, earlyStopping, numReturn, noRepeatNgram);
        List<BeamHypothesis> results = BeamSearch.search(model.transformer(), context, p, stops);
        for (int i = 0; i < results.size(); i++) {
            BeamHypothesis h = results.get(i);
            if (json) {
                out.println(Json.write(format.of(h, logprobs != null)));
            } else {
                if (results.size() > 1) {
                    out.println(separator(i + 1, results.size()));
                }
                out.println(model.tokenizer().decode(h.tokens()));
            }
        }
    }

    private static String separator(int index, int count) {
        return "--- " + index + "/" + count + " ---";
    }

    private SamplingParams samplingParams() {
        List<SamplerStage> order;
        try {
            order = SamplerStage.parseOrder(samplers);
        } catch (IllegalArgumentException e) {
            throw new InputException("--samplers: " + e.getMessage());
        }
        Map<Integer, Float> bias = LogitBiasParser.parse(logitBias);
        return SamplingParams.builder().temperature(temperature).topK(topK).topP(topP).minP(minP).typicalP(typicalP)
                .minKeep(minKeep).repeatPenalty(repeatPenalty).repeatLastN(repeatLastN)
                .frequencyPenalty(frequencyPenalty).presencePenalty(presencePenalty).logitBias(bias).order(order)
                .seed(seed).build();
    }

    private StopConditions stopConditions(int[] stopTokens) {
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

    private void checkModes() {
        if (samples < 1) {
            throw new InputException("--n must be >= 1, got " + samples);
        }
        if (logprobs != null && (logprobs < 0 || logprobs > 20)) {
            throw new InputException("--logprobs must be between 0 and 20, got " + logprobs);
        }
        if (beams < 0) {
            throw new InputException("--beams must be >= 0 (0 = sampling), got " + beams);
        }
        if (maxTries < 1) {
            throw new InputException("--max-tries must be >= 1, got " + maxTries);
        }
        if (beams > 0) {
            if (samples != 1) {
                throw new InputException("--n is for sampling; with --beams use --num-return");
            }
            if (rejectUnless != null) {
                throw new InputException("--reject-unless cannot be combined with --beams");
            }
            if (!stop.isEmpty()) {
                throw new InputException("--stop strings are not supported with --beams (the model's end tokens still stop beams)");
            }
            if (numReturn < 1 || numReturn > beams) {
                throw new InputException("--num-return must be between 1 and --beams (" + beams + "), got " + numReturn);
            }
            if (noRepeatNgram < 0) {
                throw new InputException("--no-repeat-ngram must be >= 0 (0 = off), got " + noRepeatNgram);
            }
            if (!Float.isFinite(lengthPenalty)) {
                throw new InputException("--length-penalty must be a finite number, got " + lengthPenalty);
            }
        } else {
            if (numReturn != 1 || noRepeatNgram != 0 || lengthPenalty != 1f || !earlyStopping) {
                throw new InputException("--num-return, --length-penalty, --no-repeat-ngram and --no-early-stopping need --beams N");
            }
        }
        if (bestOf < 0) {
            throw new InputException("--best-of must be >= 0 (0 = off), got " + bestOf);
        }
        if (bestOf > 0 && (beams > 0 || rejectUnless != null)) {
            throw new InputException("--best-of cannot be combined with --beams or --reject-unless");
        }
        if (bestOf > 0 && samples > bestOf) {
            throw new InputException("--n (" + samples + ") must not exceed --best-of (" + bestOf + ")");
        }
        if (rejectUnless != null && samples != 1) {
            throw new InputException("--n cannot be combined with --reject-unless (it draws up to --max-tries samples)");
        }
    }
}
