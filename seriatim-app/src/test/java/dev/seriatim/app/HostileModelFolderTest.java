package dev.seriatim.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.text.hf.HfFolders;
import dev.seriatim.text.transformer.Architecture;
import dev.seriatim.text.transformer.RandomModelWriter;
import dev.seriatim.text.transformer.TinyModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hugging Face folders with a damaged config.json, tokenizer.json, tokenizer_config.json or
 * safetensors header, fed to {@code info} and {@code score}: success, or one line on stderr and
 * exit code 2; never a stack trace or another exit code.
 */
class HostileModelFolderTest {

    private static final String[] FILES = {"config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors"};

    @TempDir
    static Path dir;
    static Path original;

    @BeforeAll
    static void write() throws Exception {
        Path gguf = dir.resolve("m.gguf");
        RandomModelWriter.write(TinyModels.config(Architecture.QWEN2, 300), GgmlType.BF16, 5, gguf);
        original = dir.resolve("hf");
        HfFolders.fromGguf(gguf, original, 1);
    }

    static Stream<Long> seeds() {
        return IntStream.range(0, 80).mapToObj(i -> 0xF01DL + i);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void damagedFoldersFailCleanly(long seed) throws Exception {
        Random r = new Random(seed);
        Path folder = dir.resolve("case" + seed);
        Files.createDirectories(folder);
        for (String f : FILES) {
            Files.copy(original.resolve(f), folder.resolve(f));
        }
        String target = FILES[r.nextInt(FILES.length)];
        byte[] bytes = Files.readAllBytes(folder.resolve(target));
        int span = target.endsWith(".safetensors") ? Math.min(bytes.length, 4096) : bytes.length;
        String alphabet = "{}[]\":,0123456789-e.nulltruefalse ";
        for (int k = 1 + r.nextInt(3); k > 0; k--) {
            int at = r.nextInt(span);
            bytes[at] = r.nextBoolean() ? (byte) alphabet.charAt(r.nextInt(alphabet.length())) : (byte) r.nextInt(256);
        }
        if (r.nextInt(5) == 0) {
            bytes = java.util.Arrays.copyOf(bytes, r.nextInt(bytes.length));
        }
        Files.write(folder.resolve(target), bytes);
        for (String[] args : new String[][] {
                {"info", "--model", folder.toString()},
                {"score", "--model", folder.toString(), "--context", "16", "--text", "hello there"}}) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
            String what = target + " " + args[0] + ": " + err;
            if (code != 0) {
                assertThat(code).as(what).isEqualTo(2);
                assertThat(err.toString().lines().count()).as(what).isEqualTo(1);
                assertThat(err.toString()).as(what).doesNotContain("\tat ").startsWith("seriatim: ");
            }
        }
    }
}
