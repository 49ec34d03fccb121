package dev.seriatim.text.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads tiktoken's rank files ({@code cl100k_base.tiktoken}, ...): one line per token, the
 * token's bytes in standard base64, a space, and its rank in decimal. Seriatim asks that line
 * {@code i} hold rank {@code i} (true of OpenAI's files), so the ranks are exactly 0..n-1.
 *
 * <p>The input is untrusted: its size, the line count and each token's length are bounded before
 * anything is allocated for them, and every malformed line is an error naming the source and the
 * line.
 */
public final class TiktokenFile {

    /** Four times the largest real rank file (o200k_base, 3.6 MB); also bounds the line count. */
    static final int MAX_BYTES = 16 << 20;
    /** Longer than any real token (the longest in o200k_base has 128 bytes). */
    static final int MAX_TOKEN_BYTES = 1024;

    private TiktokenFile() {
    }

    /**
     * The tokens of {@code file} by rank; a name ending in {@code .gz} is gunzipped first.
     *
     * @throws IllegalArgumentException if the content is not a rank file
     */
    public static byte[][] read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            return read(in, file.toString());
        }
    }

    /**
     * The tokens of a rank file's content by rank.
     *
     * @param source names the input in error messages
     * @throws IllegalArgumentException if the content is too large or not a rank file
     */
    public static byte[][] read(InputStream in, String source) throws IOException {
        byte[] data = in.readNBytes(MAX_BYTES + 1);
        if (data.length > MAX_BYTES) {
            throw new IllegalArgumentException(source + " is larger than " + (MAX_BYTES >> 20)
                    + " MiB, too large for a tiktoken rank file");
        }
        List<byte[]> tokens = new ArrayList<>();
        Base64.Decoder base64 = Base64.getDecoder();
        int start = 0;
        while (start < data.length) {
            int end = start;
            while (end < data.length && data[end] != '\n') {
                end++;
            }
            int line = tokens.size() + 1;
            String text = new String(data, start, end - start, StandardCharsets.US_ASCII);
            start = end + 1;
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            if (text.isEmpty() && start >= data.length) {
                break; // a final newline
            }
            tokens.add(parseLine(text, tokens.size(), base64, source, line));
        }
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no ranks");
        }
        return tokens.toArray(byte[][]::new);
    }

    private static byte[] parseLine(String text, int expectedRank, Base64.Decoder base64, String source, int line) {
        int space = text.indexOf(' ');
        if (space <= 0 || text.indexOf(' ', space + 1) >= 0) {
            throw new IllegalArgumentException(source + " line " + line
                    + ": expected '<base64 token> <rank>', got '" + shorten(text) + "'");
        }
        String encoded = text.substring(0, space);
        String rank = text.substring(space + 1);
        if (!rank.equals(Integer.toString(expectedRank))) {
            throw new IllegalArgumentException(source + " line " + line + ": rank '" + shorten(rank)
                    + "', expected " + expectedRank + " (ranks must be 0, 1, 2, ... in order)");
        }
        if (encoded.length() > 4 * (MAX_TOKEN_BYTES / 3 + 1)) {
            throw new IllegalArgumentException(source + " line " + line + ": token longer than "
                    + MAX_TOKEN_BYTES + " bytes");
        }
        try {
            return base64.decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " line " + line + ": '" + shorten(encoded)
                    + "' is not base64 (" + e.getMessage() + ")");
        }
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
