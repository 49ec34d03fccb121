package dev.seriatim.app;

import static dev.seriatim.app.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.app.CliTest.Result;
import dev.seriatim.tensor.GgmlType;
import dev.seriatim.text.transformer.Architecture;
import dev.seriatim.text.transformer.RandomModelWriter;
import dev.seriatim.text.transformer.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code bench --llama-bench}: a stand-in llama-bench script prints the real tool's report. */
@DisabledOnOs(OS.WINDOWS)
class BenchLlamaCliTest {

    @TempDir
    static Path dir;

    static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        model = dir.resolve("tiny.gguf");
        RandomModelWriter.write(TinyModels.config(Architecture.LLAMA, 600), GgmlType.Q8_0, 3, model);
    }

    /** An executable shell script in the temp folder. */
    static Path script(String name, String body) throws Exception {
        Path path = dir.resolve(name);
        Files.writeString(path, "#!/bin/sh\n" + body + "\n");
        assertThat(path.toFile().setExecutable(true)).isTrue();
        return path;
    }

    static List<Double> doubles(JsonNode array) {
        List<Double> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asDouble()));
        return out;
    }

    @Test
    void runsLlamaBenchInEachRoundAndReportsTheRatios() throws Exception {
        Path report = dir.resolve("report.json");
        Files.copy(LlamaBenchTest.REPORT, report);
        Path args = dir.resolve("args.txt");
        Path tool = script("llama-bench", "printf '%s\\n' \"$@\" >> '" + args + "'\n"
                + "echo 'llama_model_loader: loaded meta data' >&2\ncat '" + report + "'");

        Result r = run("bench", "--model", model.toString(), "--threads", "2", "--prompt-tokens", "16",
                "--gen-tokens", "8", "--repeat", "3", "--rounds", "2", "--warmup-seconds", "0", "--no-bandwidth",
                "--json", "--llama-bench", tool.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode o = r.json();
        JsonNode llama = o.get("llama_cpp");
        // two rounds, each the report's two repetitions (the stand-in prints the same report whatever -r asks)
        assertThat(doubles(llama.get("prompt_samples"))).containsExactly(715.134, 716.834, 715.134, 716.834);
        assertThat(doubles(llama.get("gen_samples"))).containsExactly(182.217, 186.627, 182.217, 186.627);
        assertThat(llama.get("prompt_tokens_per_s").asDouble()).isEqualTo((715.134 + 716.834) / 2);
        assertThat(llama.get("gen_tokens_per_s").asDouble()).isEqualTo((182.217 + 186.627) / 2);
        assertThat(o.get("prompt_samples")).hasSize(6);
        assertThat(o.get("gen_samples")).hasSize(6);
        assertThat(o.get("prompt_ratio").asDouble())
                .isEqualTo(o.get("prompt_tokens_per_s").asDouble() / ((715.134 + 716.834) / 2));
        assertThat(o.get("gen_ratio").asDouble())
                .isEqualTo(o.get("gen_tokens_per_s").asDouble() / ((182.217 + 186.627) / 2));
        String oneRun = String.join("\n", List.of("-m", model.toString(), "-t", "2", "-p", "16", "-n", "8", "-r", "3",
                "-ctk", "f16", "-ctv", "f16", "-ngl", "0", "-o", "json")) + "\n";
        assertThat(Files.readString(args)).as("the same command in each round").isEqualTo(oneRun.repeat(2));

        Result text = run("bench", "--model", model.toString(), "--prompt-tokens", "16", "--gen-tokens", "8",
                "--repeat", "1", "--warmup-seconds", "0", "--no-bandwidth", "--llama-bench", tool.toString());
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("llama.cpp:   prompt 715.98, generation 184.42 tokens/s (llama-bench, build unknown,"
                + " medians of 2)", "ratio:       prompt ");
    }

    @Test
    void llamaBenchsFailuresAreReportedInOneLine() throws Exception {
        Path failing = script("failing-bench", "echo 'main: error: failed to load model' >&2\nexit 1");
        Result r = run("bench", "--model", model.toString(), "--prompt-tokens", "16", "--gen-tokens", "8",
                "--repeat", "1", "--warmup-seconds", "0", "--no-bandwidth", "--llama-bench", failing.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("seriatim: llama-bench failed on " + model
                + " (exit 1): main: error: failed to load model");

        Path chatty = script("not-a-bench", "echo '| model | size |'");
        Result notJson = run("bench", "--model", model.toString(), "--prompt-tokens", "16", "--gen-tokens", "8",
                "--repeat", "1", "--warmup-seconds", "0", "--no-bandwidth", "--llama-bench", chatty.toString());
        assertThat(notJson.code()).isEqualTo(2);
        assertThat(notJson.err()).contains("llama-bench's output is not its JSON report (is it llama-bench?)")
                .doesNotContain("Exception");
    }

    @Test
    void aMissingOrNonExecutableLlamaBenchIsRejectedBeforeLoading() throws Exception {
        Result missing = run("bench", "--model", model.toString(), "--llama-bench", dir.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("seriatim: --llama-bench: no such file: " + dir.resolve("nope"));

        Path plain = Files.writeString(dir.resolve("plain.txt"), "not a program");
        Result notExecutable = run("bench", "--model", model.toString(), "--llama-bench", plain.toString());
        assertThat(notExecutable.code()).isEqualTo(2);
        assertThat(notExecutable.err().strip()).isEqualTo("seriatim: --llama-bench: not an executable file: " + plain);

        Path tool = script("some-bench", "exit 0");
        Result f32 = run("bench", "--model", model.toString(), "--kv-cache", "f32", "--llama-bench", tool.toString());
        assertThat(f32.code()).isEqualTo(2);
        assertThat(f32.err().strip())
                .isEqualTo("seriatim: --llama-bench needs the default --kv-cache f16: llama-bench has no f32 cache");

        Result rounds = run("bench", "--model", model.toString(), "--rounds", "0");
        assertThat(rounds.code()).isEqualTo(2);
        assertThat(rounds.err().strip()).isEqualTo("seriatim: --rounds must be between 1 and 1000, got 0");
    }
}
