package dev.seriatim.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seriatim.text.transformer.KvCacheType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Reading llama-bench's JSON report, from a report the real tool printed (tools/reference/llama_bench_report.sh). */
class LlamaBenchTest {

    static final Path REPORT = Path.of("src/test/resources/llama-bench/report-p16-n8.json");

    @Test
    void readsEachRepetitionsRateOfThePromptAndGenerationTests() throws Exception {
        LlamaBench.Rates rates = LlamaBench.parse(Files.readString(REPORT), 16, 8);
        assertThat(rates.prompt()).containsExactly(715.134, 716.834);
        assertThat(rates.gen()).containsExactly(182.217, 186.627);
        assertThat(rates.build()).isEqualTo("build unknown");
    }

    @Test
    void aReportWithoutTheTestsAskedForIsAnError() throws Exception {
        String report = Files.readString(REPORT);
        assertThatThrownBy(() -> LlamaBench.parse(report, 32, 8)).hasMessage("llama-bench's report has no pp32 test");
        assertThatThrownBy(() -> LlamaBench.parse(report, 16, 64)).hasMessage("llama-bench's report has no tg64 test");
        // no generation asked for: the tg test is not needed, and an extra one is ignored
        assertThat(LlamaBench.parse(report, 16, 0).gen()).isEmpty();
    }

    @Test
    void averagesStandInForMissingSamplesAndBadRatesAreErrors() {
        String averagesOnly = """
                [{"n_prompt": 4, "n_gen": 0, "avg_ts": 100.5, "build_commit": "abc1234", "build_number": 42},
                 {"n_prompt": 0, "n_gen": 2, "avg_ts": 20.25}]""";
        LlamaBench.Rates rates = LlamaBench.parse(averagesOnly, 4, 2);
        assertThat(rates.prompt()).containsExactly(100.5);
        assertThat(rates.gen()).containsExactly(20.25);
        assertThat(LlamaBench.parse(averagesOnly, 4, 0).build()).isEqualTo("build 42 (abc1234)");

        assertThatThrownBy(() -> LlamaBench.parse("[{\"n_prompt\": 4, \"n_gen\": 0, \"samples_ts\": [10, 0]}]", 4, 0))
                .hasMessage("llama-bench's pp4 test has no valid tokens/s (samples_ts, avg_ts)");
        assertThatThrownBy(() -> LlamaBench.parse("[{\"n_prompt\": 4, \"n_gen\": 0}]", 4, 0))
                .hasMessage("llama-bench's pp4 test has no valid tokens/s (samples_ts, avg_ts)");
        assertThatThrownBy(() -> LlamaBench.parse("[{\"n_prompt\": 4, \"n_gen\": 0, \"samples_ts\": [\"fast\"]}]", 4, 0))
                .hasMessage("llama-bench's pp4 test has no valid tokens/s (samples_ts, avg_ts)");
    }

    @Test
    void outputThatIsNotAReportIsAnError() {
        assertThatThrownBy(() -> LlamaBench.parse("| model | size |", 16, 8))
                .hasMessageStartingWith("llama-bench's output is not its JSON report (is it llama-bench?)");
        assertThatThrownBy(() -> LlamaBench.parse("{\"n_prompt\": 16}", 16, 8))
                .hasMessage("llama-bench's output is not its JSON report (is it llama-bench?): expected an array of tests");
        assertThatThrownBy(() -> LlamaBench.parse("", 16, 8))
                .hasMessageStartingWith("llama-bench's output is not its JSON report");
    }

    @Test
    void asksForTheSameMeasurementOnTheCpu(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path tool = Files.createFile(dir.resolve("llama-bench"));
        assertThat(tool.toFile().setExecutable(true)).isTrue();
        assertThat(LlamaBench.at(tool).command(Path.of("m.gguf"), 3, 128, 0, 5, KvCacheType.F16)).containsExactly(
                tool.toString(), "-m", "m.gguf", "-t", "3", "-p", "128", "-n", "0", "-r", "5", "-ctk", "f16",
                "-ctv", "f16", "-ngl", "0", "-o", "json");
    }

    @Test
    void theLastLineOfTheErrorOutputExplainsAFailure() {
        assertThat(LlamaBench.lastLine("loading...\nerror: failed to load model 'x.gguf'\n\n"))
                .isEqualTo(": error: failed to load model 'x.gguf'");
        assertThat(LlamaBench.lastLine("  \n")).isEmpty();
        assertThat(LlamaBench.lastLine("x".repeat(1000))).hasSize(2 + 300);
    }
}
