package dev.seriatim.io.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-built malformed files, each rejected with a message that names the problem. */
class GgufMalformedFileTest {

    private static final int F32 = 0;
    private static final int Q4_0 = 2;
    private static final int STRING = GgufValueType.STRING.id();
    private static final int ARRAY = GgufValueType.ARRAY.id();

    @TempDir
    Path dir;

    private void assertRejected(GgufBytes bytes, String... fragments) throws IOException {
        assertRejected(bytes.toByteArray(), fragments);
    }

    private void assertRejected(byte[] bytes, String... fragments) throws IOException {
        Path file = dir.resolve("bad.gguf");
        Files.write(file, bytes);
        assertThatThrownBy(() -> GgufFile.open(file).close()).isExactlyInstanceOf(GgufFormatException.class).message().contains(fragments);
    }

    /** A file with one F32 tensor of {@code elements} values at relative offset {@code offset}. */
    private static GgufBytes oneTensor(long offset, long elements) {
        return GgufBytes.header(3, 1, 0).tensor("blk.0.attn_q.weight", F32, offset, elements).padTo(32);
    }

    @Test
    void emptyFile() throws IOException {
        assertRejected(new byte[0], "truncated GGUF", "header magic", "offset 0");
    }

    @Test
    void truncatedHeader() throws IOException {
        assertRejected(Arrays.copyOf(GgufBytes.header(3, 0, 0).toByteArray(), 14), "truncated GGUF", "header tensor count", "needs 8 bytes but only 6 are left at offset 8");
    }

    @Test
    void wrongMagic() throws IOException {
        assertRejected(new GgufBytes().raw("GGML".getBytes()).u32(3).u64(0).u64(0), "not a GGUF file", "magic");
    }

    @Test
    void versionOne() throws IOException {
        assertRejected(GgufBytes.header(1, 0, 0), "version 1", "not supported");
    }

    @Test
    void unknownVersion() throws IOException {
        assertRejected(GgufBytes.header(7, 0, 0), "unsupported GGUF version 7");
    }

    @Test
    void bigEndian() throws IOException {
        assertRejected(GgufBytes.header(Integer.reverseBytes(3), 0, 0), "big-endian");
    }

    @Test
    void hugeStringLength() throws IOException {
        GgufBytes b = GgufBytes.header(3, 0, 1).u64(0xFFFF_FFFFL).zeros(20);
        assertRejected(b, "truncated GGUF: metadata key #0 string length 4294967295 exceeds the 20 bytes left at offset 32");
    }

    @Test
    void stringLengthWithHighBitSet() throws IOException {
        GgufBytes b = GgufBytes.header(3, 0, 1).u64(-1L).zeros(20);
        assertRejected(b, "metadata key #0 string length 18446744073709551615 exceeds");
    }

    @Test
    void hugeArrayCount() throws IOException {
        GgufBytes b = GgufBytes.header(3, 0, 1).string("tokenizer.ggml.tokens")
                .u32(ARRAY).u32(STRING).u64(1L << 62).zeros(16);
        assertRejected(b, "truncated GGUF", "'tokenizer.ggml.tokens' array count 4611686018427387904");
    }

    @Test
    void hugeTensorCount() throws IOException {
        assertRejected(GgufBytes.header(3, Long.MAX_VALUE, 0).zeros(64), "truncated GGUF", "tensor count 9223372036854775807");
    }

    @Test
    void hugeMetadataCount() throws IOException {
        assertRejected(GgufBytes.header(3, 0, -1L).zeros(64), "truncated GGUF", "metadata count 18446744073709551615");
    }

    @Test
    void tensorDataPastTheEnd() throws IOException {
        GgufBytes b = oneTensor(0, 16).zeros(32); // 64 bytes needed, 32 present
        int dataOffset = b.size() - 32;
        assertRejected(b, "tensor 'blk.0.attn_q.weight' data [" + dataOffset + ", " + (dataOffset + 64)
                + ") lies past the end of the file (size " + b.size() + ")");
    }

    @Test
    void tensorOffsetBeyondEveryLong() throws IOException {
        assertRejected(oneTensor(-32L, 4).zeros(32), "lies past the end of the file");
    }

    @Test
    void misalignedTensorOffset() throws IOException {
        assertRejected(oneTensor(4, 4).zeros(64), "tensor 'blk.0.attn_q.weight' data offset 4 is not a multiple of the alignment 32");
    }

    @Test
    void overlappingTensors() throws IOException {
        GgufBytes b = GgufBytes.header(3, 2, 0)
                .tensor("a", F32, 0, 16)
                .tensor("b", F32, 32, 16)
                .padTo(32).zeros(96);
        assertRejected(b, "tensors 'a' and 'b' overlap");
    }

    @Test
    void unknownTensorType() throws IOException {
        assertRejected(GgufBytes.header(3, 1, 0).tensor("t", 99, 0, 32).padTo(32).zeros(256),
                "tensor #0 't' has unknown ggml type id 99");
    }

    @Test
    void unknownValueType() throws IOException {
        assertRejected(GgufBytes.header(3, 0, 1).string("k").u32(13).zeros(8), "metadata value 'k' has unknown value type 13");
    }

    @Test
    void unknownArrayElementType() throws IOException {
        assertRejected(GgufBytes.header(3, 0, 1).string("k").u32(ARRAY).u32(42).u64(0),
                "'k' array element has unknown value type 42");
    }

    @Test
    void fiveDimensions() throws IOException {
        assertRejected(GgufBytes.header(3, 1, 0).tensor("t", F32, 0, 1, 1, 1, 1, 1).padTo(32).zeros(32),
                "tensor #0 't' has 5 dimensions (must be 1..4)");
    }

    @Test
    void zeroDimensions() throws IOException {
        assertRejected(GgufBytes.header(3, 1, 0).tensor("t", F32, 0).zeros(64), "has 0 dimensions");
    }

    @Test
    void zeroDimension() throws IOException {
        assertRejected(GgufBytes.header(3, 1, 0).tensor("t", F32, 0, 4, 0).padTo(32).zeros(32),
                "tensor #0 't' dimension 1 is 0 (must be >= 1)");
    }

    @Test
    void elementCountOverflow() throws IOException {
        assertRejected(GgufBytes.header(3, 1, 0).tensor("t", F32, 0, 1L << 32, 1L << 32).padTo(32),
                "element count overflows");
    }

    @Test
    void byteSizeOverflow() throws IOException {
        assertRejected(GgufBytes.header(3, 1, 0).tensor("t", F32, 0, 1L << 31, 1L << 31).padTo(32),
                "byte size", "overflows");
    }

    @Test
    void rowNotAWholeNumberOfBlocks() throws IOException {
        assertRejected(GgufBytes.header(3, 1, 0).tensor("t", Q4_0, 0, 16, 2).padTo(32).zeros(64),
                "row length 16 is not a multiple of the Q4_0 block size 32");
    }

    @Test
    void duplicateKey() throws IOException {
        assertRejected(GgufBytes.header(3, 0, 2).kvUInt32("a", 1).kvUInt32("a", 2),
                "duplicate metadata key 'a' (entries #0 and #1)");
    }

    @Test
    void duplicateTensorName() throws IOException {
        assertRejected(GgufBytes.header(3, 2, 0).tensor("t", F32, 0, 8).tensor("t", F32, 32, 8).padTo(32).zeros(64),
                "duplicate tensor name 't'");
    }

    @Test
    void alignmentNotAPowerOfTwo() throws IOException {
        assertRejected(GgufBytes.header(3, 0, 1).kvUInt32("general.alignment", 48), "general.alignment is 48", "power of two");
    }

    @Test
    void alignmentZero() throws IOException {
        assertRejected(GgufBytes.header(3, 0, 1).kvUInt32("general.alignment", 0), "general.alignment is 0");
    }

    @Test
    void alignmentOfWrongType() throws IOException {
        assertRejected(GgufBytes.header(3, 0, 1).string("general.alignment").u32(STRING).string("32"),
                "general.alignment has type STRING");
    }

    @Test
    void boolOtherThanZeroOrOne() throws IOException {
        assertRejected(GgufBytes.header(3, 0, 1).string("b").u32(GgufValueType.BOOL.id()).u8(2), "bool byte is 2");
    }

    @Test
    void arraysNestedTooDeep() throws IOException {
        GgufBytes b = GgufBytes.header(3, 0, 1).string("deep").u32(ARRAY);
        for (int i = 0; i < 20; i++) {
            b.u32(ARRAY).u64(1);
        }
        assertRejected(b.u32(GgufValueType.INT32.id()).u64(0), "nests arrays more than 8 levels deep");
    }

    @Test
    void truncatedInsideTensorInfo() throws IOException {
        byte[] whole = GgufBytes.header(3, 1, 0).tensor("t", F32, 0, 8, 2).toByteArray();
        assertRejected(Arrays.copyOf(whole, whole.length - 3), "truncated GGUF", "tensor #0 't' data offset");
    }

    @Test
    void tensorWithoutDataSectionAtAll() throws IOException {
        // tensor infos end the file: the data offset lies past the end
        assertRejected(GgufBytes.header(3, 1, 0).tensor("t", F32, 0, 8), "lies past the end of the file");
    }

    @Test
    void missingArchitectureIsReportedByKey() throws IOException {
        Path file = dir.resolve("noarch.gguf");
        new GgufWriter().putUInt32("general.alignment", 32).write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThatThrownBy(gguf::architecture)
                    .isInstanceOf(GgufFormatException.class)
                    .hasMessageContaining("general.architecture").hasMessageContaining("missing");
        }
    }

    @Test
    void missingFileIsAnIoException() {
        assertThatThrownBy(() -> GgufFile.open(dir.resolve("nope.gguf"))).isInstanceOf(IOException.class);
    }

    @Test
    void validMinimalFileOpens() throws IOException {
        Path file = dir.resolve("ok.gguf");
        Files.write(file, oneTensor(0, 8).zeros(32).toByteArray());
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.tensors()).singleElement().extracting(GgufTensorInfo::byteSize).isEqualTo(32L);
            assertThat(gguf.version()).isEqualTo(3);
        }
    }

    @Test
    void versionTwoIsAccepted() throws IOException {
        Path file = dir.resolve("v2.gguf");
        Files.write(file, GgufBytes.header(2, 0, 1).kvUInt32("x", 5).padTo(32).toByteArray());
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.version()).isEqualTo(2);
            assertThat(gguf.metadata().getLong("x")).isEqualTo(5);
        }
    }
}
