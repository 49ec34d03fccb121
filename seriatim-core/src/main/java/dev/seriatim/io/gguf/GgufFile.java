package dev.seriatim.io.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An open, validated GGUF (v2 or v3, little-endian) file, memory-mapped read-only.
 *
 * <p>{@link #open} checks the whole header and every tensor's placement up front, so once it
 * returns, {@link #data} can hand out any tensor's bytes without further checks. The mapping
 * lives until {@link #close}; segments from {@link #data} must not be used after that.
 * Instances are safe to share between threads (the mapping uses a shared arena).
 */
public final class GgufFile implements AutoCloseable {

    private final Path path;
    private final Arena arena;
    private final MemorySegment mapping;
    private final int version;
    private final int alignment;
    private final long dataOffset;
    private final GgufMetadata metadata;
    private final List<GgufTensorInfo> tensors;
    private final Map<String, GgufTensorInfo> tensorsByName;
    private boolean closed;

    private GgufFile(Path path, Arena arena, MemorySegment mapping, GgufHeader header) {
        this.path = path;
        this.arena = arena;
        this.mapping = mapping;
        this.version = header.version();
        this.metadata = header.metadata();
        this.alignment = GgufAlignment.of(metadata);
        this.dataOffset = GgufAlignment.align(header.end(), alignment);
        this.tensors = GgufTensorLayout.place(header.tensors(), alignment, dataOffset, mapping.byteSize());
        Map<String, GgufTensorInfo> byName = new HashMap<>();
        for (GgufTensorInfo t : tensors) {
            byName.put(t.name(), t);
        }
        this.tensorsByName = Map.copyOf(byName);
    }

    /**
     * Maps and validates the file at {@code path}.
     *
     * @throws IOException if the file cannot be opened or mapped
     * @throws GgufFormatException if its content is not a valid, supported GGUF file
     */
    public static GgufFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            GgufHeader header;
            // the header is read through a mapping of its own, unmapped once everything in it
            // has been copied: its pages (a vocabulary and its merges, several MiB for a 128k
            // vocabulary) would otherwise stay resident beside the weights for as long as the
            // file is open. The arena is shared like the weights' one: a confined session seen
            // once by the JDK's segment access code made the JIT compile the kernels' reads of
            // shared segments less well (the bench's bandwidth probe fell from 24 to 6 GB/s)
            try (Arena headerArena = Arena.ofShared()) {
                header = GgufHeaderReader.read(channel.map(FileChannel.MapMode.READ_ONLY, 0, size, headerArena));
            }
            MemorySegment mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            return new GgufFile(path, arena, mapping, header);
        } catch (Throwable t) {
            arena.close();
            throw t;
        }
    }

    /** The path the file was opened from. */
    public Path path() {
        return path;
    }

    /** The GGUF format version, 2 or 3. */
    public int version() {
        return version;
    }

    /** The file size in bytes. */
    public long fileSize() {
        return mapping.byteSize();
    }

    /** The tensor data alignment ({@code general.alignment}, default 32). */
    public int alignment() {
        return alignment;
    }

    /** The absolute offset where the tensor data section starts. */
    public long dataOffset() {
        return dataOffset;
    }

    /** The key/value metadata, in file order. */
    public GgufMetadata metadata() {
        return metadata;
    }

    /** The tensors, in the order of their info entries in the file. */
    public List<GgufTensorInfo> tensors() {
        return tensors;
    }

    /** The tensor called {@code name}, if any. */
    public Optional<GgufTensorInfo> tensor(String name) {
        return Optional.ofNullable(tensorsByName.get(name));
    }

    /**
     * The bytes of tensor {@code t}: a read-only slice of the mapping, valid until
     * {@link #close()}.
     *
     * @throws IllegalArgumentException if {@code t} is not a tensor of this file
     */
    public MemorySegment data(GgufTensorInfo t) {
        if (!t.equals(tensorsByName.get(t.name()))) {
            throw new IllegalArgumentException("tensor " + t + " does not belong to " + path);
        }
        return mapping.asSlice(t.offset(), t.byteSize()).asReadOnly();
    }

    /** The model architecture, {@code general.architecture}. */
    public String architecture() {
        return metadata.getString("general.architecture");
    }

    /** Unmaps the file; later calls do nothing. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "GgufFile[" + path + ", v" + version + ", " + metadata.size() + " keys, " + tensors.size() + " tensors]";
    }
}
