package dev.seriatim.io.gguf;

import dev.seriatim.tensor.GgmlType;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where one tensor lives in a GGUF file and what it holds.
 *
 * @param name the tensor name, e.g. {@code blk.0.attn_q.weight}
 * @param shape dimensions in ggml order: {@code shape[0]} is the innermost (row) length
 * @param type the element type
 * @param offset the ABSOLUTE byte offset of the data in the file (not relative to the data
 *     section as stored on disk)
 * @param byteSize the number of data bytes, {@code type.bytesFor(elementCount())}
 */
public record GgufTensorInfo(String name, long[] shape, GgmlType type, long offset, long byteSize) {

    /** Takes a private copy of {@code shape}. */
    public GgufTensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        shape = shape.clone();
    }

    /** A fresh copy of the dimensions, innermost first. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Product of the dimensions (validated not to overflow when read from a file). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t
                && name.equals(t.name)
                && Arrays.equals(shape, t.shape)
                && type == t.type
                && offset == t.offset
                && byteSize == t.byteSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), type, offset, byteSize);
    }

    @Override
    public String toString() {
        return name + " " + type + Arrays.toString(shape) + " @" + offset + "+" + byteSize;
    }
}
