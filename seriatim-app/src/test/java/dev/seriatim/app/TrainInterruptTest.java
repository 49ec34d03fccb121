package dev.seriatim.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.seriatim.train.Checkpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interrupting {@code train gpt} (the signal Ctrl-C's shutdown path shares with SIGTERM) in a
 * real child JVM: the run stops after its current step, leaves a checkpoint that names that
 * step, says how to resume, and writes no model file it has not finished.
 */
class TrainInterruptTest {

    @TempDir
    Path dir;

    @Test
    void signalWritesAResumableCheckpointAndNoPartialModel() throws Exception {
        assumeFalse(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("win"),
                "needs POSIX signals");
        Path data = dir.resolve("data.txt");
        Files.writeString(data, randomWords(20_000), StandardCharsets.UTF_8);
        Path out = dir.resolve("model.gguf");
        Path csv = dir.resolve("model.csv");
        Path log = dir.resolve("stdout.txt");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", "gpt", "--data", data.toString(), "--layers", "1", "--heads", "2", "--dim", "32",
                "--context", "32", "--batch", "4", "--steps", "1000000", "--threads", "1", "--out", out.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (stepsLogged(csv) < 3) {
                assertThat(child.isAlive()).as("trainer exited early: %s", read(log)).isTrue();
                assertThat(System.nanoTime()).as("no training steps within 120 s").isLessThan(deadline);
                Thread.sleep(100);
            }
            child.destroy(); // SIGTERM: the JVM runs its shutdown hooks, as on Ctrl-C
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("trainer still running after the signal").isTrue();
        } finally {
            child.destroyForcibly();
        }
        String printed = read(log);
        var m = java.util.regex.Pattern.compile("interrupted at step (\\d+); continue with --resume (\\S+)")
                .matcher(printed);
        assertThat(m.find()).as(printed).isTrue();
        int step = Integer.parseInt(m.group(1));
        Path ckpt = Path.of(m.group(2));
        assertThat(step).isBetween(3, 999_999);
        assertThat(ckpt).isEqualTo(dir.resolve("model.ckpt.gguf"));
        Checkpoint.State state = Checkpoint.read(ckpt);
        assertThat(state.step()).isEqualTo(step);
        assertThat(state.settings().steps()).isEqualTo(1_000_000);
        assertThat(out).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    private static long stepsLogged(Path csv) throws java.io.IOException {
        if (!Files.exists(csv)) {
            return 0;
        }
        try (var lines = Files.lines(csv)) {
            return Math.max(0, lines.count() - 1);
        }
    }

    private static String read(Path log) throws java.io.IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static String randomWords(int length) {
        String[] words = {"and", "the", "lord", "said", "unto", "moses", "in", "beginning", "god", "light"};
        Random random = new Random(7);
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            text.append(words[random.nextInt(words.length)]).append(random.nextInt(12) == 0 ? ".\n" : " ");
        }
        return text.toString();
    }
}
