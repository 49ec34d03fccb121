package dev.seriatim.text.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rank-file reader on hand-made input, and opening a real rank file by path. */
class TiktokenFileTest {

    private static byte[][] read(String content) throws IOException {
        return TiktokenFile.read(new ByteArrayInputStream(content.getBytes(StandardCharsets.US_ASCII)), "t.tiktoken");
    }

    @Test
    void readsTokensByRank() throws IOException {
        byte[][] ranks = read("IQ== 0\nIg== 1\r\nICB0aGU= 2\n");
        assertThat(ranks).hasNumberOfRows(3);
        assertThat(new String(ranks[2], StandardCharsets.UTF_8)).isEqualTo("  the");
        assertThat(ranks[1]).containsExactly('"');
    }

    @Test
    void rejectsMalformedLinesNamingTheLine() {
        assertThatThrownBy(() -> read("IQ== 0\nIg==1\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("t.tiktoken line 2: expected '<base64 token> <rank>', got 'Ig==1'");
        assertThatThrownBy(() -> read("IQ== 0\nIg== 2\n")).hasMessageContaining("line 2: rank '2', expected 1");
        assertThatThrownBy(() -> read("IQ== 0\n\nIg== 1\n")).hasMessageContaining("line 2: expected");
        assertThatThrownBy(() -> read("I*Q= 0\n")).hasMessageContaining("line 1: 'I*Q=' is not base64");
        assertThatThrownBy(() -> read(" 0\n")).hasMessageContaining("line 1: expected");
        assertThatThrownBy(() -> read("IQ== -0\n")).hasMessageContaining("rank '-0', expected 0");
        assertThatThrownBy(() -> read("")).hasMessage("t.tiktoken holds no ranks");
        assertThatThrownBy(() -> read("A".repeat(2000) + " 0\n")).hasMessageContaining("token longer than 1024 bytes");
    }

    @Test
    void rejectsInputLargerThanTheBoundBeforeParsing() {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'A';
            }
        };
        assertThatThrownBy(() -> TiktokenFile.read(endless, "big")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("big is larger than 16 MiB, too large for a tiktoken rank file");
    }

    @Test
    void anEncodingChecksRankCountAndDuplicates() {
        byte[][] three = {{'a'}, {'b'}, {'a'}};
        assertThatThrownBy(() -> TiktokenEncoding.CL100K_BASE.spec(three, "f"))
                .hasMessage("f has 3 ranks but cl100k_base has 100256 (is it another encoding's file?)");
        byte[][] many = new byte[100_256][];
        for (int i = 0; i < many.length; i++) {
            many[i] = Integer.toString(i % 100_000).getBytes(StandardCharsets.US_ASCII);
        }
        assertThatThrownBy(() -> TiktokenEncoding.CL100K_BASE.spec(many, "f"))
                .hasMessage("f: ranks 0 and 100000 have the same bytes");
        assertThatThrownBy(() -> TiktokenEncoding.forName("p50k_base"))
                .hasMessage("tiktoken encoding 'p50k_base' is not supported (supported: cl100k_base, o200k_base)");
    }

    @Test
    void opensARankFileByPathTakingTheEncodingFromItsName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cl100k_base.tiktoken.gz");
        try (InputStream in = getClass().getResourceAsStream("/tokenizer/cl100k_base/cl100k_base.tiktoken.gz")) {
            Files.copy(in, file);
        }
        Tokenizer t = Tokenizers.tiktoken(file, null);
        assertThat(t.spec().pre()).isEqualTo("cl100k_base");
        assertThat(t.decode(t.encode("hello world<|endoftext|>"))).isEqualTo("hello world");
        Path renamed = Files.copy(file, dir.resolve("vocab.gz"));
        assertThat(Tokenizers.tiktoken(renamed, "cl100k_base").encode("hello world")).isEqualTo(t.encode("hello world"));
        assertThatThrownBy(() -> Tokenizers.tiktoken(renamed, null))
                .hasMessageContaining("cannot tell the tiktoken encoding of");
        assertThatThrownBy(() -> Tokenizers.tiktoken(file, "o200k_base"))
                .hasMessageContaining("has 100256 ranks but o200k_base has 199998");
        Path plain = dir.resolve("o200k_base.tiktoken");
        try (OutputStream out = Files.newOutputStream(plain)) {
            out.write("IQ== 0\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThatThrownBy(() -> Tokenizers.tiktoken(plain, null)).hasMessageContaining("has 1 ranks");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("x.gz")))) {
            out.write("IQ== 1\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThatThrownBy(() -> Tokenizers.tiktoken(dir.resolve("x.gz"), "o200k_base"))
                .hasMessageContaining("x.gz line 1: rank '1', expected 0");
    }
}
