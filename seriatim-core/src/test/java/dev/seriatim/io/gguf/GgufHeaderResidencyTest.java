package dev.seriatim.io.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.seriatim.tensor.GgmlType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Once a GGUF file is open, the pages its header was read from are no longer part of the process. */
class GgufHeaderResidencyTest {

    @TempDir
    Path dir;

    @Test
    void theHeaderLeavesNothingResidentBehind() throws IOException {
        Path smaps = Path.of("/proc/self/smaps");
        assumeTrue(Files.isReadable(smaps), "needs Linux's /proc/self/smaps");
        String[] tokens = new String[200_000];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = "token-" + i + "-" + "x".repeat(i % 32); // about 7 MiB of header
        }
        Path file = dir.resolve("big-header.gguf");
        new GgufWriter().putStrings("tokenizer.ggml.tokens", tokens)
                .addTensor("t", GgmlType.F32, new long[] {4}, new byte[16]).write(file);
        assertThat(Files.size(file)).isGreaterThan(6L << 20);

        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.metadata().getStringList("tokenizer.ggml.tokens")).hasSize(tokens.length);
            String path = file.toRealPath().toString();
            assertThat(sumKib(smaps, path, "Size:")).as("KiB of the file mapped").isGreaterThanOrEqualTo(6L << 10);
            // fault-around may map a few pages next to the tensor data, never the header's MiBs
            assertThat(sumKib(smaps, path, "Rss:")).as("KiB of the file resident after open").isLessThan(512);
        }
    }

    /** Sum of the {@code field} lines (Size:, Rss:) of the mappings of {@code file} in smaps. */
    private static long sumKib(Path smaps, String file, String field) throws IOException {
        List<String> lines = Files.readAllLines(smaps);
        long total = 0;
        boolean inFile = false;
        for (String line : lines) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                inFile = line.endsWith(file);
            } else if (inFile && line.startsWith(field)) {
                total += Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return total;
    }
}
