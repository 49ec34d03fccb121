package dev.seriatim.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.text.transformer.Architecture;
import dev.seriatim.text.transformer.RandomModelWriter;
import dev.seriatim.text.transformer.TinyModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Truncated and byte-mutated model files fed to {@code info} and {@code score}: the only
 * outcomes allowed are success or a one-line error with exit code 2 — never a stack trace,
 * another exit code, an OOM or a hang.
 */
class HostileModelFileTest {

    private static final int CASES = Integer.getInteger("seriatim.cli.fuzzCases", 150);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void mutatedFilesFailCleanly(Architecture arch) throws Exception {
        Path original = dir.resolve("model.gguf");
        RandomModelWriter.write(TinyModels.config(arch, 300), GgmlType.Q4_0, 5, original);
        byte[] bytes = Files.readAllBytes(original);
        // the header (metadata and tensor infos) is where a mutation changes the meaning of the file
        int header = Math.min(bytes.length, 16_384);
        Random random = new Random(arch.ordinal() * 7919L + 1);
        Path mutated = dir.resolve("mutated.gguf");
        int failures = 0;
        Assertions.assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            for (int c = 0; c < CASES; c++) {
                byte[] m = mutate(bytes, header, random);
                Files.write(mutated, m);
                for (String[] args : new String[][] {
                        {"info", "--model", mutated.toString()},
                        {"score", "--model", mutated.toString(), "--context", "16", "--text", "hello there"}}) {
                    StringWriter out = new StringWriter();
                    StringWriter err = new StringWriter();
                    int code;
                    try {
                        code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
                    } catch (Throwable t) {
                        fail("case %d (%s): %s escaped", c, args[0], t);
                        return;
                    }
                    if (code != 0) {
                        assertThat(code).as("case %d %s: %s", c, args[0], err).isEqualTo(2);
                        assertThat(err.toString().lines().count()).as("case %d %s: %s", c, args[0], err).isEqualTo(1);
                        assertThat(err.toString()).as("case %d", c).doesNotContain("\tat ").startsWith("seriatim: ");
                    }
                }
            }
        });
        assertThat(failures).isZero();
    }

    private static byte[] mutate(byte[] original, int header, Random random) {
        int kind = random.nextInt(4);
        if (kind == 0) {
            return java.util.Arrays.copyOf(original, random.nextInt(original.length));
        }
        byte[] m = original.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(header);
            switch (kind) {
                case 1 -> m[at] = (byte) random.nextInt(256);
                case 2 -> { // a large little-endian count or size
                    for (int i = 0; i < 8 && at + i < m.length; i++) {
                        m[at + i] = (byte) (i < 4 ? 0xFF : random.nextInt(2) * 0x7F);
                    }
                }
                default -> { // a small integer where a count, type or dimension may be
                    m[at] = (byte) random.nextInt(40);
                    for (int i = 1; i < 4 && at + i < m.length; i++) {
                        m[at + i] = 0;
                    }
                }
            }
        }
        return m;
    }
}
