package dev.seriatim.io.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * A read position in a GGUF file's bytes that checks every read against the bytes left, so a
 * truncated or lying file ends in a {@link GgufFormatException} rather than an out-of-bounds
 * access. All multi-byte values are little-endian.
 *
 * <p>The {@code what} suppliers describe the field being read (e.g. "metadata key #3"); they
 * are only evaluated when building an error message, which keeps the happy path cheap.
 */
final class GgufCursor {

    /** The largest Java array we try to create; a little under Integer.MAX_VALUE, as the VM allows. */
    static final int MAX_JAVA_ARRAY = Integer.MAX_VALUE - 16;

    private static final ValueLayout.OfShort I16 =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment bytes;
    private long position;

    GgufCursor(MemorySegment bytes) {
        this.bytes = bytes;
    }

    long position() {
        return position;
    }

    long remaining() {
        return bytes.byteSize() - position;
    }

    /** Fails unless {@code n} more bytes are available for {@code what}. */
    void require(long n, Supplier<String> what) {
        if (n < 0 || n > remaining()) {
            throw new GgufFormatException("truncated GGUF: " + what.get() + " needs " + n
                    + " bytes but only " + remaining() + " are left at offset " + position);
        }
    }

    byte i8(Supplier<String> what) {
        require(1, what);
        return bytes.get(ValueLayout.JAVA_BYTE, position++);
    }

    short i16(Supplier<String> what) {
        require(2, what);
        short v = bytes.get(I16, position);
        position += 2;
        return v;
    }

    int i32(Supplier<String> what) {
        require(4, what);
        int v = bytes.get(I32, position);
        position += 4;
        return v;
    }

    /** An unsigned 32-bit value, widened to a non-negative long. */
    long u32(Supplier<String> what) {
        return Integer.toUnsignedLong(i32(what));
    }

    /** A 64-bit value; for unsigned fields, a negative result stands for a value >= 2^63. */
    long i64(Supplier<String> what) {
        require(8, what);
        long v = bytes.get(I64, position);
        position += 8;
        return v;
    }

    float f32(Supplier<String> what) {
        require(4, what);
        float v = bytes.get(F32, position);
        position += 4;
        return v;
    }

    double f64(Supplier<String> what) {
        require(8, what);
        double v = bytes.get(F64, position);
        position += 8;
        return v;
    }

    /**
     * Fails unless {@code count} elements of at least {@code minBytes} each fit in the bytes
     * left and in a Java array. Called before allocating anything sized by {@code count}.
     */
    void requireCount(long count, int minBytes, String unit, Supplier<String> what) {
        if (count < 0 || count > remaining() / minBytes) {
            throw new GgufFormatException("truncated GGUF: " + what.get() + " " + Long.toUnsignedString(count)
                    + " needs at least " + minBytes + " bytes per " + unit + " but only " + remaining()
                    + " are left at offset " + position);
        }
        if (count > MAX_JAVA_ARRAY) {
            throw new GgufFormatException("GGUF: " + what.get() + " " + count
                    + " is more than this reader supports");
        }
    }

    /** A GGUF string: u64 byte length, then that many UTF-8 bytes (malformed UTF-8 is replaced). */
    String string(Supplier<String> what) {
        int length = stringLength(what);
        if (length == 0) {
            return "";
        }
        byte[] utf8 = new byte[length];
        read(utf8, 0, length);
        // lenient decoding: some converters emit token strings that are not valid UTF-8
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** Reads a string's length and checks that its bytes follow; they are then read with {@link #read(byte[], int, int)}. */
    int stringLength(Supplier<String> what) {
        long length = i64(() -> what.get() + " string length");
        if (length < 0 || length > remaining()) {
            throw new GgufFormatException("truncated GGUF: " + what.get() + " string length "
                    + Long.toUnsignedString(length) + " exceeds the " + remaining()
                    + " bytes left at offset " + position);
        }
        if (length > MAX_JAVA_ARRAY) {
            throw new GgufFormatException("GGUF: " + what.get() + " string length " + length
                    + " is more than this reader supports");
        }
        return (int) length;
    }

    /** Copies the next {@code length} bytes into out[offset ..]; the caller has checked the count. */
    void read(byte[] out, int offset, int length) {
        MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, position, out, offset, length);
        position += length;
    }

    /** Fills {@code out} with the next bytes; the caller has checked the count. */
    void read(byte[] out) {
        MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, position, out, 0, out.length);
        position += out.length;
    }

    void read(short[] out) {
        MemorySegment.copy(bytes, I16, position, out, 0, out.length);
        position += 2L * out.length;
    }

    void read(int[] out) {
        MemorySegment.copy(bytes, I32, position, out, 0, out.length);
        position += 4L * out.length;
    }

    void read(long[] out) {
        MemorySegment.copy(bytes, I64, position, out, 0, out.length);
        position += 8L * out.length;
    }

    void read(float[] out) {
        MemorySegment.copy(bytes, F32, position, out, 0, out.length);
        position += 4L * out.length;
    }

    void read(double[] out) {
        MemorySegment.copy(bytes, F64, position, out, 0, out.length);
        position += 8L * out.length;
    }
}
