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
import dev.seriatim.decode.SamplingParams;
import dev.seriatim.decode.StopConditions;
import dev.seriatim.text.TextModel;
import dev.seriatim.text.tokenizer.IncrementalDecoder;
import java.io.PrintWriter;
import java.util.List;
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

    @Mixin
    ModelOptions options;

    @Mixin
    SamplingOptions sampling;

    @Parameters(arity = "1..*", paramLabel = "PROMPT", description = "The text to continue (several words are joined by spaces).")
    List<String> prompt;

    @Option(names = {"-n", "--max-tokens"}, paramLabel = "N", description = "Most new tokens per result; not to be confused with --n (default ${DEFAULT-VALUE}).")
    int maxTokens = 128;

    @Option(names = "--n", paramLabel = "N", description = "Independent samples of the prompt, sharing one prefill (default ${DEFAULT-VALUE}).")
    int samples = 1;

    @Option(names = "--best-of", paramLabel = "B", description = "Draw B samples (one prefill) and print the --n best by the model's mean log-probability per token, best first; 0 = off (default ${DEFAULT-VALUE}).")
    int bestOf = 0;

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
        SamplingParams params = sampling.params();
        sampling.stopConditions(new int[0], maxTokens); // check before loading the model
        checkModes();
        PrintWriter out = spec.commandLine().getOut();
        try (TextModel model = options.open()) {
            sampling.checkLogitBias(params, model.config().vocabSize());
            int[] context = model.promptTokens(String.join(" ", prompt));
            if (context.length == 0) {
                throw new InputException("the prompt is empty and the model has no beginning-of-sequence token to start from");
            }
            StopConditions stops = sampling.stopConditions(model.stopTokens(), maxTokens);
            GenerationJson format = new GenerationJson(model.tokenizer());
            if (beams > 0) {
                beamSearch(model, context, stops, format, out);
            } else if (bestOf > 0) {
                bestOf(model, context, params, stops, format, out);
            } else if (rejectUnless != null) {
                return rejection(model, context, params, stops, format, out);
            } else {
                sample(model, context, params, stops, format, out);
            }
            out.flush();
        }
        return 0;
    }

    private void sample(TextModel model, int[] context, SamplingParams params, StopConditions stops,
                        GenerationJson format, PrintWriter out) {
        GenerationOptions o = new GenerationOptions(params, stops, samples, sampling.logprobCount(-1));
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
                            out.println(Json.write(format.of(g, sampling.wantsLogprobs())));
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

    private void bestOf(TextModel model, int[] context, SamplingParams params, StopConditions stops,
                        GenerationJson format, PrintWriter out) {
        GenerationOptions o = new GenerationOptions(params, stops, bestOf, sampling.logprobCount(0));
        BestOfN.Result r = BestOfN.pick(model.transformer(), context, o, () -> new IncrementalDecoder(model.tokenizer()),
                GenerationListener.NONE);
        int[] ranking = r.ranking(samples);
        for (int k = 0; k < ranking.length; k++) {
            Generation g = r.all().get(ranking[k]);
            if (json) {
                var node = format.of(g, sampling.wantsLogprobs());
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

    private int rejection(TextModel model, int[] context, SamplingParams params, StopConditions stops,
                          GenerationJson format, PrintWriter out) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(rejectUnless);
        } catch (PatternSyntaxException e) {
            throw new InputException("--reject-unless: not a valid regular expression: " + e.getDescription()
                    + " near index " + e.getIndex());
        }
        GenerationOptions o = new GenerationOptions(params, stops, 1, sampling.logprobCount(-1));
        RejectionSampling.Result r = RejectionSampling.sample(model.transformer(), context, o,
                () -> new IncrementalDecoder(model.tokenizer()), g -> pattern.matcher(g.text()).find(), maxTries,
                GenerationListener.NONE);
        if (json) {
            Generation shown = r.succeeded() ? r.accepted() : r.attempts().getLast();
            var node = format.of(shown, sampling.wantsLogprobs());
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
                out.println(Json.write(format.of(h, sampling.wantsLogprobs())));
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

    private void checkModes() {
        if (samples < 1) {
            throw new InputException("--n must be >= 1, got " + samples);
        }
        sampling.wantsLogprobs(); // checks the range
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
            if (!sampling.stop.isEmpty()) {
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
