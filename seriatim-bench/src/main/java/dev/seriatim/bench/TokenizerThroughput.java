package dev.seriatim.bench;

import dev.seriatim.text.tokenizer.TiktokenEncoding;
import dev.seriatim.text.tokenizer.TiktokenFile;
import dev.seriatim.text.tokenizer.Tokenizer;
import dev.seriatim.text.tokenizer.TokenizerSpec;
import dev.seriatim.text.tokenizer.Tokenizers;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Encoding speed of a tiktoken encoding on one thread: 1 MiB of UTF-8 text (the first MiB of
 * a text file, by default the KJV Bible), after warming the JIT on the next MiB. Each round
 * times a fresh tokenizer (its word cache empty) and then the same tokenizer again (every word
 * cached), in CPU time of this process (the encoding thread plus garbage collection and JIT;
 * run with {@code -XX:+UseSerialGC} to keep it on one core), so that other load on the machine
 * counts less than in wall time, which is printed too.
 *
 * <p>Usage: java -cp ... dev.seriatim.bench.TokenizerThroughput RANKS.tiktoken[.gz] ENCODING [TEXT[.gz]] [ROUNDS]
 */
public final class TokenizerThroughput {

    private static final int MIB = 1 << 20;

    private TokenizerThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Path ranks = Path.of(args[0]);
        TiktokenEncoding encoding = TiktokenEncoding.forName(args[1]);
        Path textFile = Path.of(args.length > 2 ? args[2] : "data/kjv/kjv.txt.gz");
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        String all = read(textFile);
        String measured = prefixOfBytes(all, 0, MIB);
        String warmUp = prefixOfBytes(all, measured.length(), MIB);

        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long l0 = os.getProcessCpuTime();
        TokenizerSpec spec = encoding.spec(TiktokenFile.read(ranks), ranks.toString());
        Tokenizer warm = Tokenizers.from(spec);
        System.out.printf(Locale.ROOT, "%s: loaded in %.2f CPU s%n", encoding.encodingName(),
                (os.getProcessCpuTime() - l0) / 1e9);
        for (int i = 0; i < 3; i++) {
            warm.encode(warmUp);
        }
        int bytes = measured.getBytes(StandardCharsets.UTF_8).length;
        for (int r = 0; r < rounds; r++) {
            Tokenizer fresh = Tokenizers.from(spec);
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            int tokens = fresh.encode(measured).length;
            long c1 = os.getProcessCpuTime();
            long t1 = System.nanoTime();
            fresh.encode(measured);
            long c2 = os.getProcessCpuTime();
            System.out.printf(Locale.ROOT,
                    "round %d: %d bytes -> %d tokens; empty cache %.0f ms CPU (%.0f ms wall) = %.2f MB/s; cached %.0f ms CPU%n",
                    r + 1, bytes, tokens, (c1 - c0) / 1e6, (t1 - t0) / 1e6, bytes / ((c1 - c0) / 1e3),
                    (c2 - c1) / 1e6);
        }
    }

    private static String read(Path file) throws Exception {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The longest run of whole characters from {@code start} whose UTF-8 is at most {@code limit} bytes. */
    private static String prefixOfBytes(String s, int start, int limit) {
        int bytes = 0;
        int end = start;
        while (end < s.length()) {
            int cp = s.codePointAt(end);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > limit) {
                break;
            }
            bytes += n;
            end += Character.charCount(cp);
        }
        if (bytes < limit) {
            throw new IllegalArgumentException("the text file has less than " + (start + limit) + " characters");
        }
        return s.substring(start, end);
    }
}
