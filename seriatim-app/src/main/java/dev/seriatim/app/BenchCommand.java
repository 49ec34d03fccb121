package dev.seriatim.app;

import dev.seriatim.decode.TokenSampler;
import dev.seriatim.tensor.MemoryBandwidth;
import dev.seriatim.text.TextModel;
import dev.seriatim.text.transformer.Transformer;
import dev.seriatim.text.transformer.TransformerState;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/**
 * End-to-end speed: load time, prompt processing (one batched prefill of random tokens) and
 * token generation (greedy single steps), as medians over repeated runs after full-size warm-up
 * runs. The warm-up lasts at least {@code --warmup-seconds}: a run of a small model takes a
 * fraction of a second, while the JIT keeps compiling the hot paths (on another core, which it
 * takes from the measured threads) for a second or two, so one warm-up run left the first
 * measured runs of a 128-token prompt 10-20% slow. Past that time it goes on (up to
 * {@value #MAX_WARMUP_RUNS} runs) until the last two runs generate within 10% of each other: a
 * decode-only kernel (the attention tiles over a cache of halves) that C2 compiled late left
 * 5 of 12 Llama-3.2-1B-shape runs (prompt 128, two seconds of warm-up: one run) timing the
 * profiling compiler's code, at 4.5-15 instead of 26-29 tokens/s.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure load time, prompt tokens/s, generated tokens/s and peak memory.")
final class BenchCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    /** How closely the last two warm-up runs must agree, as a fraction of the faster. */
    private static final double SETTLED = 0.1;
    /** Warm-up runs past which the bench measures whether or not they agree. */
    private static final int MAX_WARMUP_RUNS = 10;

    @Option(names = "--prompt-tokens", paramLabel = "N", description = "Prompt length (default ${DEFAULT-VALUE}).")
    int promptTokens = 128;

    @Option(names = "--gen-tokens", paramLabel = "N", description = "Tokens to generate (default ${DEFAULT-VALUE}).")
    int genTokens = 64;

    @Option(names = "--repeat", paramLabel = "N", description = "Measured runs; medians are reported (default ${DEFAULT-VALUE}).")
    int repeat = 3;

    @Option(names = "--warmup-seconds", paramLabel = "S", description = "Repeat full-size warm-up runs (at least one) "
            + "until this many seconds have passed and the last two agree within 10%% (at most 10 runs), so the JIT "
            + "has compiled the hot paths before anything is timed (default ${DEFAULT-VALUE}; 0 = a single run, which "
            + "shows a freshly started process).")
    double warmupSeconds = 2;

    @Option(names = "--no-bandwidth", description = "Skip the memory bandwidth measurement that otherwise follows the "
            + "runs (a 256 MiB streaming read with the same threads; generation is reported as a fraction of it).")
    boolean noBandwidth;

    @Option(names = "--rounds", paramLabel = "N", description = "Rounds of --repeat measured runs (default "
            + "${DEFAULT-VALUE}); with --llama-bench each round runs llama-bench first, so the two alternate. Medians "
            + "are over all the runs.")
    int rounds = 1;

    @Option(names = "--llama-bench", paramLabel = "PATH", description = "Also run llama.cpp's llama-bench (the "
            + "executable at PATH) on the same GGUF file with the same threads, token counts, repetitions and KV cache "
            + "type, on the CPU, in each round; report its rates and Seriatim's ratio to them.")
    Path llamaBench;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (promptTokens < 1 || genTokens < 0 || repeat < 1) {
            throw new InputException("--prompt-tokens must be >= 1, --gen-tokens >= 0 and --repeat >= 1");
        }
        if (!(warmupSeconds >= 0 && warmupSeconds <= 3600)) {
            throw new InputException("--warmup-seconds must be between 0 and 3600, got " + warmupSeconds);
        }
        if (rounds < 1 || rounds > 1000) {
            throw new InputException("--rounds must be between 1 and 1000, got " + rounds);
        }
        LlamaBench llama = llamaBench == null ? null : LlamaBench.at(llamaBench);
        if (llama != null && "f32".equalsIgnoreCase(options.kvCache)) {
            throw new InputException("--llama-bench needs the default --kv-cache f16: llama-bench has no f32 cache");
        }
        if (llama != null && Files.isDirectory(options.modelPath())) {
            throw new InputException("--llama-bench needs a GGUF model file; llama.cpp does not read the folder "
                    + options.model);
        }
        long t0 = System.nanoTime();
        try (TextModel model = options.open()) {
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            Transformer transformer = model.transformer();
            if (promptTokens + genTokens > transformer.maxLength()) {
                boolean chosen = spec.commandLine().getParseResult().hasMatchedOption("--prompt-tokens")
                        || spec.commandLine().getParseResult().hasMatchedOption("--gen-tokens");
                if (chosen) {
                    throw new InputException("--prompt-tokens + --gen-tokens = " + (promptTokens + genTokens)
                            + " exceeds the context of " + transformer.maxLength()
                            + " (the model allows " + transformer.config().contextLength() + "; see --context)");
                }
                // the defaults do not fit a small model: keep their 2:1 split within its context
                promptTokens = Math.max(1, transformer.maxLength() * 2 / 3);
                genTokens = transformer.maxLength() - promptTokens;
            }
            int[] prompt = new Random(1234).ints(promptTokens, 0, transformer.vocabSize()).toArray();
            TransformerState state = transformer.newState();
            transformer.reserve(state, promptTokens + genTokens);
            // warm-up at full size (as llama-bench warms up with the whole prompt), repeated for
            // the warm-up time and then until two runs agree: the JIT then has compiled the
            // batched prefill and decode paths
            long warmupStart = System.nanoTime();
            int warmupRuns = 0;
            double previous = Double.NaN;
            double rate;
            do {
                double before = previous;
                rate = settledRate(run(transformer, state, prompt, genTokens));
                previous = rate;
                warmupRuns++;
                if (!keepWarming((System.nanoTime() - warmupStart) / 1e9, warmupSeconds, warmupRuns, before, rate)) {
                    break;
                }
            } while (true);
            double[] pp = new double[rounds * repeat];
            double[] tg = new double[rounds * repeat];
            double[] llamaPp = new double[0];
            double[] llamaTg = new double[0];
            String llamaBuild = "";
            for (int round = 0; round < rounds; round++) {
                if (llama != null) {
                    // while llama-bench runs, this process's workers park after a few hundred microseconds
                    LlamaBench.Rates rates = llama.run(options.model, model.threads(), promptTokens, genTokens, repeat,
                            transformer.kvCache());
                    llamaPp = concat(llamaPp, rates.prompt());
                    llamaTg = concat(llamaTg, rates.gen());
                    llamaBuild = rates.build();
                }
                for (int r = 0; r < repeat; r++) {
                    double[] rates = run(transformer, state, prompt, genTokens);
                    pp[round * repeat + r] = rates[0];
                    tg[round * repeat + r] = rates[1];
                }
            }
            double ppMedian = median(pp);
            double tgMedian = median(tg);
            double llamaPpMedian = llama == null ? Double.NaN : median(llamaPp);
            double llamaTgMedian = llama == null || genTokens == 0 ? Double.NaN : median(llamaTg);
            long peakRss = peakRssKb(); // before the bandwidth buffer, which is not the model's
            long weightBytes = transformer.weights().bytesReadPerToken();
            MemoryBandwidth.Result memory = !noBandwidth && genTokens > 0
                    ? MemoryBandwidth.measure(model.parallel(), MemoryBandwidth.DEFAULT_BYTES, 5) : null;
            double fraction = memory == null ? Double.NaN : tgMedian * weightBytes / memory.bytesPerSecond();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectNode o = Json.object();
                o.put("model", options.model.toString());
                o.put("prompt_tokens", promptTokens);
                o.put("gen_tokens", genTokens);
                o.put("prompt_tokens_per_s", ppMedian);
                o.put("gen_tokens_per_s", tgMedian);
                o.put("load_s", loadSeconds);
                o.put("peak_rss_mb", peakRss < 0 ? null : peakRss / 1024.0);
                o.put("threads", model.threads());
                o.put("kv_cache", transformer.kvCache().name().toLowerCase(Locale.ROOT));
                o.put("weight_bytes_per_token", weightBytes);
                if (memory != null) {
                    o.put("bandwidth_gb_s", memory.gigabytesPerSecond());
                    o.put("bandwidth_fraction", fraction);
                }
                o.put("repeat", repeat);
                o.put("rounds", rounds);
                o.put("warmup_runs", warmupRuns);
                o.set("prompt_samples", Json.MAPPER.valueToTree(pp));
                o.set("gen_samples", Json.MAPPER.valueToTree(genTokens == 0 ? new double[0] : tg));
                if (llama != null) {
                    ObjectNode l = o.putObject("llama_cpp");
                    l.put("executable", llamaBench.toString());
                    l.put("build", llamaBuild);
                    l.put("prompt_tokens_per_s", llamaPpMedian);
                    l.put("gen_tokens_per_s", genTokens == 0 ? null : llamaTgMedian);
                    l.set("prompt_samples", Json.MAPPER.valueToTree(llamaPp));
                    l.set("gen_samples", Json.MAPPER.valueToTree(llamaTg));
                    o.put("prompt_ratio", ppMedian / llamaPpMedian);
                    o.put("gen_ratio", genTokens == 0 ? null : tgMedian / llamaTgMedian);
                }
                out.println(Json.write(o));
            } else {
                out.printf(Locale.ROOT, "model:       %s (%s, %d threads, KV cache %s)%n", options.model,
                        Sizes.bytes(Files.size(Path.of(options.model.toString()))), model.threads(),
                        transformer.kvCache().name().toLowerCase(Locale.ROOT));
                out.printf(Locale.ROOT, "load:        %.3f s%n", loadSeconds);
                out.printf(Locale.ROOT, "prompt:      %.2f tokens/s (%d tokens, median of %d)%n", ppMedian, promptTokens, pp.length);
                out.printf(Locale.ROOT, "generation:  %.2f tokens/s (%d tokens, median of %d)%n", tgMedian, genTokens, tg.length);
                if (llama != null) {
                    String build = llamaBuild.isEmpty() ? "" : ", " + llamaBuild;
                    if (genTokens == 0) {
                        out.printf(Locale.ROOT, "llama.cpp:   prompt %.2f tokens/s (llama-bench%s, median of %d)%n",
                                llamaPpMedian, build, llamaPp.length);
                        out.printf(Locale.ROOT, "ratio:       prompt %.2fx llama.cpp's%n", ppMedian / llamaPpMedian);
                    } else {
                        out.printf(Locale.ROOT, "llama.cpp:   prompt %.2f, generation %.2f tokens/s (llama-bench%s, "
                                + "medians of %d)%n", llamaPpMedian, llamaTgMedian, build, llamaPp.length);
                        out.printf(Locale.ROOT, "ratio:       prompt %.2fx, generation %.2fx llama.cpp's%n",
                                ppMedian / llamaPpMedian, tgMedian / llamaTgMedian);
                    }
                }
                if (memory != null) {
                    out.printf(Locale.ROOT, "bandwidth:   %.1f GB/s streaming read; generation reads %s per token, "
                            + "%.0f%% of that limit%n", memory.gigabytesPerSecond(), Sizes.bytes(weightBytes), 100 * fraction);
                }
                out.printf(Locale.ROOT, "peak RSS:    %s%n", peakRss < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f MiB", peakRss / 1024.0));
            }
            out.flush();
        }
        return 0;
    }

    /**
     * Whether to warm up once more after {@code runs} runs and {@code elapsed} seconds, the last two
     * runs' rates being {@code before} (NaN after the first) and {@code last}: until the warm-up
     * time has passed and the two agree within {@link #SETTLED}, for at most
     * {@link #MAX_WARMUP_RUNS} runs; a warm-up time of 0 asks for one run.
     */
    static boolean keepWarming(double elapsed, double warmupSeconds, int runs, double before, double last) {
        if (warmupSeconds == 0 || runs >= MAX_WARMUP_RUNS) {
            return false;
        }
        boolean settled = Math.abs(last - before) <= SETTLED * Math.max(last, before);
        return elapsed < warmupSeconds || !settled;
    }

    /** The rate two warm-up runs must agree on: generation's, or prefill's when nothing is generated. */
    private static double settledRate(double[] rates) {
        return rates[1] > 0 ? rates[1] : rates[0];
    }

    /** Prefill then greedy generation from a fresh state; returns {prompt tokens/s, generated tokens/s}. */
    private static double[] run(Transformer model, TransformerState state, int[] prompt, int gen) {
        model.reset(state);
        long a = System.nanoTime();
        float[] logits = model.append(state, prompt, 0, prompt.length);
        long b = System.nanoTime();
        int[] one = new int[1];
        for (int i = 0; i < gen; i++) {
            one[0] = TokenSampler.argmax(logits, model.vocabSize());
            logits = model.append(state, one, 0, 1);
        }
        long c = System.nanoTime();
        return new double[] {prompt.length / ((b - a) / 1e9), gen == 0 ? 0 : gen / ((c - b) / 1e9)};
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Peak resident set size in KiB from /proc (Linux), or -1 where unavailable. */
    private static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
