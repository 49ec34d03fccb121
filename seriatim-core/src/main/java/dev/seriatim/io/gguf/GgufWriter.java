package dev.seriatim.io.gguf;

import dev.seriatim.tensor.GgmlType;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a GGUF v3 file from metadata and tensors, keeping their insertion order.
 *
 * <p>The tensor data alignment is taken from a {@code general.alignment} entry when one has been
 * put (default 32); tensor data and the end of the file are padded with zeros to it. The output
 * is deterministic: the same content always gives the same bytes.
 *
 * <p>Tensor byte arrays are kept by reference until {@link #write}; do not modify them before.
 */
public final class GgufWriter {

    private static final int VERSION = 3;

    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    private record Tensor(String name, GgmlType type, long[] shape, byte[] data) {}

    /** An empty writer. */
    public GgufWriter() {}

    /**
     * Sets {@code key} to {@code value}. Putting a key again replaces its value but keeps its
     * original position.
     *
     * @throws IllegalArgumentException for an invalid {@code general.alignment}
     */
    public GgufWriter put(String key, GgufValue value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (key.equals(GgufAlignment.KEY)) {
            try {
                GgufAlignment.of(value);
            } catch (GgufFormatException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        metadata.put(key, value);
        return this;
    }

    /** Puts a STRING value. */
    public GgufWriter putString(String key, String value) {
        return put(key, GgufValue.string(value));
    }

    /** Puts a UINT32 value (0..2^32-1). */
    public GgufWriter putUInt32(String key, long value) {
        return put(key, GgufValue.uint32(value));
    }

    /** Puts an INT32 value. */
    public GgufWriter putInt32(String key, int value) {
        return put(key, GgufValue.int32(value));
    }

    /** Puts a FLOAT32 value. */
    public GgufWriter putFloat32(String key, float value) {
        return put(key, GgufValue.float32(value));
    }

    /** Puts a BOOL value. */
    public GgufWriter putBool(String key, boolean value) {
        return put(key, GgufValue.bool(value));
    }

    /** Puts an ARRAY of STRING. */
    public GgufWriter putStrings(String key, String... values) {
        return put(key, GgufValue.array(GgufArray.ofStrings(values)));
    }

    /** Puts an ARRAY of FLOAT32. */
    public GgufWriter putFloats(String key, float[] values) {
        return put(key, GgufValue.array(GgufArray.ofFloats(values)));
    }

    /** Puts an ARRAY of INT32. */
    public GgufWriter putInt32s(String key, int[] values) {
        return put(key, GgufValue.array(GgufArray.ofInt32(values)));
    }

    /**
     * Adds a tensor. {@code shape} is in ggml order ({@code shape[0]} = row length), 1 to 4
     * dimensions of at least 1 each, and {@code data} holds exactly
     * {@code type.bytesFor(product of shape)} bytes.
     *
     * @throws IllegalArgumentException for a duplicate name, a bad shape or a wrong data length
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, byte[] data) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        long[] dims = shape.clone();
        if (dims.length < 1 || dims.length > GgufHeaderReader.MAX_DIMS) {
            throw new IllegalArgumentException(
                    "tensor '" + name + "' has " + dims.length + " dimensions (must be 1..4)");
        }
        long elements = 1;
        for (long d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("tensor '" + name + "' has dimension " + d + " (must be >= 1)");
            }
            elements = Math.multiplyExact(elements, d);
        }
        if (dims[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor '" + name + "' row length " + dims[0]
                    + " is not a multiple of the " + type + " block size " + type.blockSize());
        }
        long expected = type.bytesFor(elements);
        if (data.length != expected) {
            throw new IllegalArgumentException("tensor '" + name + "' needs " + expected + " bytes of " + type
                    + " data, got " + data.length);
        }
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
        }
        tensors.put(name, new Tensor(name, type, dims, data));
        return this;
    }

    /** The metadata put so far, in order (for tests and diagnostics). */
    GgufMetadata metadataSnapshot() {
        return GgufMetadata.of(metadata);
    }

    /**
     * Writes the file atomically: to a temporary file in the same directory, then moved over
     * {@code path}; the temporary file is removed if anything fails.
     */
    public void write(Path path) throws IOException {
        Path target = path.toAbsolutePath();
        // CREATE_NEW rather than createTempFile: the file gets the user's usual permissions
        // (umask), not owner-only ones, since it becomes the model file people share.
        Path temp = target.resolveSibling("." + target.getFileName() + "."
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE_NEW)) {
                OutputStream stream = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                writeTo(new GgufOutput(stream));
                stream.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                deleteQuietly(temp);
            }
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // the original failure matters more than a leftover temporary file
        }
    }

    private void writeTo(GgufOutput out) throws IOException {
        int alignment = metadata.containsKey(GgufAlignment.KEY)
                ? GgufAlignment.of(metadata.get(GgufAlignment.KEY))
                : GgufAlignment.DEFAULT;
        out.u32(GgufHeaderReader.MAGIC);
        out.u32(VERSION);
        out.u64(tensors.size());
        out.u64(metadata.size());
        for (Map.Entry<String, GgufValue> e : metadata.entrySet()) {
            out.string(e.getKey());
            out.u32(e.getValue().type().id());
            GgufValueWriter.write(out, e.getValue());
        }
        long relativeOffset = 0;
        for (Tensor t : tensors.values()) {
            out.string(t.name());
            out.u32(t.shape().length);
            for (long d : t.shape()) {
                out.u64(d);
            }
            out.u32(t.type().id());
            out.u64(relativeOffset);
            relativeOffset = GgufAlignment.align(relativeOffset + t.data().length, alignment);
        }
        out.pad(alignment);
        for (Tensor t : tensors.values()) {
            out.bytes(t.data());
            // pad after every tensor, the last included, as llama.cpp does
            out.pad(alignment);
        }
    }
}
