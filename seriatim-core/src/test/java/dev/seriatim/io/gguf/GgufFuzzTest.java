package dev.seriatim.io.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import dev.seriatim.tensor.GgmlType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Opens thousands of truncated and mutated variants of valid files. The only acceptable
 * outcomes are a file that opens and can be walked completely, or a {@link GgufFormatException}:
 * never another exception, an error such as OutOfMemoryError, or a hang.
 *
 * <p>The total number of variants is {@code -Dseriatim.gguf.fuzzCases=N} (default 3000), split
 * over the seeds.
 */
class GgufFuzzTest {

    private static final int SEEDS = 3;
    private static final int CASES = Integer.getInteger("seriatim.gguf.fuzzCases", 3000);

    /** Values that make 8-byte counts, lengths and offsets hostile. */
    private static final long[] HOSTILE_LONGS = {
        -1L, Long.MAX_VALUE, Long.MIN_VALUE, 0xFFFF_FFFFL, 0x8000_0000L, 1L << 62, 0, 1, 32, 4096
    };

    /** Values that make 4-byte type ids, dimension counts and versions hostile. */
    private static final int[] HOSTILE_INTS = {-1, 0, 1, 2, 3, 4, 5, 8, 9, 12, 13, 31, 99, 0x0300_0000};

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(longs = {20240601L, 7L, 123456789L})
    void mutatedFilesOpenOrFailWithAFormatException(long seed) throws IOException {
        List<Base> bases = baseFiles(seed);
        int cases = Math.max(1, CASES / SEEDS);
        int[] outcomes = new int[2]; // [opened, rejected]
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Random random = new Random(seed);
            Path file = dir.resolve("variant.gguf");
            for (int c = 0; c < cases; c++) {
                int which = random.nextInt(bases.size());
                Base base = bases.get(which);
                byte[] variant = mutate(base.bytes(), (int) base.dataOffset(), random);
                Files.write(file, variant);
                try (GgufFile gguf = GgufFile.open(file)) {
                    GgufSamples.walk(gguf);
                    outcomes[0]++;
                } catch (GgufFormatException expected) {
                    assertThat(expected.getMessage()).isNotBlank();
                    outcomes[1]++;
                } catch (Throwable t) {
                    fail("seed " + seed + " case " + c + " (base " + which + ", " + variant.length
                            + " bytes): unexpected " + t, t);
                }
            }
        }, () -> "seed " + seed + ": fuzz loop did not finish (hang?)");
        // both outcomes must occur, or the mutations are not exercising the reader
        assertThat(outcomes[0]).as("variants that opened").isPositive();
        assertThat(outcomes[1]).as("variants rejected").isPositive();
    }

    /** A valid file and where its tensor data starts (everything before is header). */
    private record Base(byte[] bytes, long dataOffset) {}

    /** Valid files written by GgufWriter: every value type, many tensors, odd alignment. */
    private List<Base> baseFiles(long seed) throws IOException {
        Random random = new Random(seed);
        List<GgufWriter> writers = new ArrayList<>();
        writers.add(GgufSamples.someTensors(GgufSamples.everyValueType(new GgufWriter()), random));
        writers.add(GgufSamples.someTensors(new GgufWriter().putUInt32("general.alignment", 8)
                .putString("general.architecture", "qwen2")
                .putStrings("tokenizer.ggml.tokens", "a", "b", "<s>")
                .putFloats("tokenizer.ggml.scores", new float[] {0f, -1f, -2f}), random));
        GgufWriter many = new GgufWriter().putString("general.architecture", "tiny")
                .put("nested", GgufValue.array(GgufArray.ofArrays(GgufArray.ofInt32(1), GgufArray.ofStrings("x"))));
        for (int i = 0; i < 12; i++) {
            many.addTensor("t" + i, GgmlType.F32, new long[] {1 + i}, GgufSamples.tensorBytes(random, GgmlType.F32, 1 + i));
        }
        writers.add(many);
        List<Base> bases = new ArrayList<>();
        for (int i = 0; i < writers.size(); i++) {
            Path file = dir.resolve("base" + i + ".gguf");
            writers.get(i).write(file);
            try (GgufFile gguf = GgufFile.open(file)) {
                bases.add(new Base(Files.readAllBytes(file), gguf.dataOffset()));
            }
        }
        return bases;
    }

    /** One to three mutations, mostly aimed at the header where the structure lives. */
    private static byte[] mutate(byte[] base, int headerEnd, Random r) {
        byte[] b = base.clone();
        int mutations = 1 + r.nextInt(3);
        for (int m = 0; m < mutations && b.length > 0; m++) {
            int at = r.nextInt(4) == 0 ? r.nextInt(b.length) : r.nextInt(Math.min(headerEnd, b.length));
            switch (r.nextInt(5)) {
                case 0 -> b = Arrays.copyOf(b, at);
                case 1 -> b[at] = (byte) r.nextInt(256);
                case 2 -> putLong(b, at, HOSTILE_LONGS[r.nextInt(HOSTILE_LONGS.length)]);
                case 3 -> putLong(b, at, r.nextInt(2) == 0 ? r.nextLong() : r.nextInt(64));
                default -> putInt(b, at, HOSTILE_INTS[r.nextInt(HOSTILE_INTS.length)]);
            }
        }
        return b;
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 0; i < 8 && at + i < b.length; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    private static void putInt(byte[] b, int at, int v) {
        for (int i = 0; i < 4 && at + i < b.length; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
