package dev.seriatim.app;

import dev.seriatim.text.transformer.KvCacheType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * llama.cpp's {@code llama-bench}, run by {@code seriatim bench --llama-bench} on the same GGUF
 * file with the same threads, token counts and KV cache type, so that the two are measured side by
 * side in one run on the same (often shared and noisy) machine. It runs on the CPU ({@code -ngl 0}:
 * a GPU build would otherwise offload every layer), and its JSON output gives the rate of each
 * repetition: of the prompt test (pp: n_prompt tokens, no generation) and of the generation test
 * (tg: n_gen tokens from an empty context, where Seriatim's generation follows its prompt).
 */
final class LlamaBench {

    /** More than any llama-bench report; a tool that prints more is not llama-bench. */
    private static final int MAX_OUTPUT_BYTES = 4 << 20;
    /** The end of llama-bench's error output that a failure quotes. */
    private static final int ERROR_TAIL_CHARS = 300;

    /** The rates of one llama-bench run: each repetition's tokens/s, and the build it reports. */
    record Rates(double[] prompt, double[] gen, String build) {
    }

    private final Path executable;

    private LlamaBench(Path executable) {
        this.executable = executable;
    }

    /** The llama-bench at {@code executable}, checked to be a runnable file. */
    static LlamaBench at(Path executable) {
        if (!Files.exists(executable)) {
            throw new InputException("--llama-bench: no such file: " + executable);
        }
        if (!Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
            throw new InputException("--llama-bench: not an executable file: " + executable);
        }
        return new LlamaBench(executable);
    }

    /** The command line that measures {@code model} as Seriatim's bench does. */
    List<String> command(Path model, int threads, int promptTokens, int genTokens, int repetitions,
            KvCacheType kvCache) {
        String cache = kvCache.name().toLowerCase(Locale.ROOT);
        return List.of(executable.toString(), "-m", model.toString(), "-t", Integer.toString(threads),
                "-p", Integer.toString(promptTokens), "-n", Integer.toString(genTokens),
                "-r", Integer.toString(repetitions), "-ctk", cache, "-ctv", cache, "-ngl", "0", "-o", "json");
    }

    /** Runs llama-bench once and returns its rates; its failures are the user's to fix (exit 2). */
    Rates run(Path model, int threads, int promptTokens, int genTokens, int repetitions, KvCacheType kvCache) {
        List<String> command = command(model, threads, promptTokens, genTokens, repetitions, kvCache);
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new InputException("--llama-bench: cannot run " + executable + ": " + e.getMessage());
        }
        try {
            process.getOutputStream().close();
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            Thread drain = Thread.ofVirtual().start(() -> copyTail(process.getErrorStream(), errors));
            String out = readBounded(process.getInputStream());
            int exit = process.waitFor();
            drain.join();
            if (exit != 0) {
                throw new InputException("llama-bench failed on " + model + " (exit " + exit + ")"
                        + lastLine(errors.toString(StandardCharsets.UTF_8)));
            }
            return parse(out, promptTokens, genTokens);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InputException("--llama-bench: interrupted");
        } catch (IOException e) {
            throw new InputException("--llama-bench: reading its output failed: " + e.getMessage());
        } finally {
            process.destroyForcibly(); // a no-op once it has exited; else (output too long) it is stopped
        }
    }

    /**
     * The prompt and generation rates in llama-bench's JSON report ({@code -o json}: an array with
     * one object per test), for the tests of {@code promptTokens} and {@code genTokens} tokens.
     */
    static Rates parse(String json, int promptTokens, int genTokens) {
        JsonNode tests;
        try {
            tests = Json.MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new InputException("llama-bench's output is not its JSON report (is it llama-bench?): "
                    + e.getOriginalMessage());
        }
        if (tests == null || !tests.isArray()) {
            throw new InputException("llama-bench's output is not its JSON report (is it llama-bench?): "
                    + "expected an array of tests");
        }
        double[] prompt = null;
        double[] gen = genTokens == 0 ? new double[0] : null;
        String build = "";
        for (JsonNode test : tests) {
            int nPrompt = test.path("n_prompt").asInt(-1);
            int nGen = test.path("n_gen").asInt(-1);
            if (nPrompt == promptTokens && nGen == 0) {
                prompt = samples(test, "pp" + promptTokens);
            } else if (genTokens > 0 && nPrompt == 0 && nGen == genTokens) {
                gen = samples(test, "tg" + genTokens);
            } else {
                continue;
            }
            build = build(test);
        }
        if (prompt == null) {
            throw new InputException("llama-bench's report has no pp" + promptTokens + " test");
        }
        if (gen == null) {
            throw new InputException("llama-bench's report has no tg" + genTokens + " test");
        }
        return new Rates(prompt, gen, build);
    }

    /** A test's tokens/s per repetition: samples_ts, or avg_ts as one sample where it lists none. */
    private static double[] samples(JsonNode test, String name) {
        List<Double> rates = new ArrayList<>();
        JsonNode samples = test.path("samples_ts");
        if (samples.isArray() && !samples.isEmpty()) {
            for (JsonNode s : samples) {
                rates.add(s.isNumber() ? s.asDouble() : Double.NaN);
            }
        } else {
            rates.add(test.path("avg_ts").isNumber() ? test.path("avg_ts").asDouble() : Double.NaN);
        }
        double[] out = new double[rates.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rates.get(i);
            if (!(out[i] > 0 && Double.isFinite(out[i]))) {
                throw new InputException("llama-bench's " + name + " test has no valid tokens/s (samples_ts, avg_ts)");
            }
        }
        return out;
    }

    /** "build N (commit)" as the report gives it, or "" where it gives neither. */
    private static String build(JsonNode test) {
        String commit = test.path("build_commit").asString("");
        int number = test.path("build_number").asInt(0);
        if (number > 0) {
            return "build " + number + (commit.isEmpty() ? "" : " (" + commit + ")");
        }
        return commit.isEmpty() ? "" : "build " + commit;
    }

    private static String readBounded(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_OUTPUT_BYTES + 1);
        if (bytes.length > MAX_OUTPUT_BYTES) {
            throw new InputException("llama-bench printed more than " + (MAX_OUTPUT_BYTES >> 20)
                    + " MiB (is it llama-bench?)");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Reads a stream to its end, keeping only its last bytes (llama-bench logs every tensor it loads). */
    private static void copyTail(InputStream in, ByteArrayOutputStream tail) {
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                tail.write(buffer, 0, n);
                if (tail.size() > 16 * ERROR_TAIL_CHARS) {
                    byte[] all = tail.toByteArray();
                    tail.reset();
                    tail.write(all, all.length - 4 * ERROR_TAIL_CHARS, 4 * ERROR_TAIL_CHARS);
                }
            }
        } catch (IOException e) {
            // the process ended; what was read so far is the tail
        }
    }

    /** ": LINE", the last non-blank line of llama-bench's error output, or "" where there is none. */
    static String lastLine(String errors) {
        String[] lines = errors.strip().split("\\R");
        String last = lines[lines.length - 1].strip();
        if (last.isEmpty()) {
            return "";
        }
        return ": " + (last.length() > ERROR_TAIL_CHARS ? last.substring(last.length() - ERROR_TAIL_CHARS) : last);
    }
}
