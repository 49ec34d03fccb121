package dev.seriatim.io.safetensors;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An open, validated safetensors file, memory-mapped read-only: an 8-byte little-endian header
 * length N, N bytes of JSON header, then the data section the header's offsets point into.
 *
 * <p>{@link #open} checks the header length against the file size before reading it and the
 * whole header before mapping anything for use ({@link SafetensorsHeader}), so {@link #data} can
 * hand out any tensor's bytes without further checks. Segments are valid until {@link #close}.
 * Safe to share between threads.
 */
public final class SafetensorsFile implements AutoCloseable {

    private static final ValueLayout.OfLong U64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final Arena arena;
    /** Kept open for {@link #read}, so reads see the same file the mapping does. */
    private final FileChannel channel;
    private final MemorySegment data;
    /** File offset of the data section. */
    private final long dataStart;
    private final Map<String, String> metadata;
    private final List<SafetensorsTensor> tensors;
    private final Map<String, SafetensorsTensor> byName;
    private boolean closed;

    private SafetensorsFile(Path path, Arena arena, FileChannel channel, MemorySegment data, long dataStart,
            SafetensorsHeader.Parsed header) {
        this.path = path;
        this.arena = arena;
        this.channel = channel;
        this.data = data;
        this.dataStart = dataStart;
        this.metadata = header.metadata();
        this.tensors = header.tensors();
        Map<String, SafetensorsTensor> m = new HashMap<>();
        for (SafetensorsTensor t : tensors) {
            m.put(t.name(), t);
        }
        this.byName = Map.copyOf(m);
    }

    /**
     * Maps and validates the file at {@code path}.
     *
     * @throws IOException if the file cannot be read or mapped
     * @throws SafetensorsFormatException if it is not a valid safetensors file
     */
    public static SafetensorsFile open(Path path) throws IOException {
        String name = String.valueOf(path.getFileName());
        Arena arena = Arena.ofShared();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
            long size = channel.size();
            if (size < 8) {
                throw new SafetensorsFormatException(name + ": " + size + " bytes is too short for a safetensors file");
            }
            MemorySegment mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long headerBytes = mapping.get(U64_LE, 0);
            if (headerBytes < 2 || headerBytes > SafetensorsHeader.MAX_HEADER_BYTES || headerBytes > size - 8) {
                throw new SafetensorsFormatException(name + ": header length " + Long.toUnsignedString(headerBytes)
                        + " does not fit the file of " + size + " bytes (or the " + SafetensorsHeader.MAX_HEADER_BYTES
                        + "-byte limit)");
            }
            byte[] json = mapping.asSlice(8, headerBytes).toArray(ValueLayout.JAVA_BYTE);
            long dataStart = 8 + headerBytes;
            SafetensorsHeader.Parsed header = SafetensorsHeader.parse(name, json, size - dataStart);
            return new SafetensorsFile(path, arena, channel, mapping.asSlice(dataStart).asReadOnly(), dataStart, header);
        } catch (Throwable t) {
            arena.close();
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    t.addSuppressed(e);
                }
            }
            throw t;
        }
    }

    public Path path() {
        return path;
    }

    /** The {@code __metadata__} string map (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensors in header order. */
    public List<SafetensorsTensor> tensors() {
        return tensors;
    }

    public Optional<SafetensorsTensor> tensor(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The bytes of {@code t}, a read-only slice of the mapping valid until {@link #close}.
     *
     * @throws IllegalArgumentException if {@code t} is not a tensor of this file
     */
    public MemorySegment data(SafetensorsTensor t) {
        if (!t.equals(byName.get(t.name()))) {
            throw new IllegalArgumentException("tensor " + t + " does not belong to " + path);
        }
        return data.asSlice(t.begin(), t.byteSize());
    }

    /**
     * Copies bytes [from, from + dst.byteSize()) of {@code t} into {@code dst} with file reads
     * rather than through the mapping, for data that is converted once and never read again
     * (a transposed copy): its pages then pass through the page cache without entering this
     * process's resident set, where reading the mapping would keep them resident beside the copy.
     * {@code dst} must be writable, at most 2 GiB, and native or backed by a {@code byte[]}. The
     * channel is interruptible: a read by an interrupted thread closes it, and later reads fail.
     *
     * @throws IllegalArgumentException if {@code t} is not a tensor of this file or the range is outside it
     * @throws IOException if the read fails or the file ends early
     */
    public void read(SafetensorsTensor t, long from, MemorySegment dst) throws IOException {
        if (!t.equals(byName.get(t.name()))) {
            throw new IllegalArgumentException("tensor " + t + " does not belong to " + path);
        }
        if (from < 0 || from > t.byteSize() || dst.byteSize() > t.byteSize() - from) {
            throw new IllegalArgumentException("bytes [" + from + ", " + from + " + " + dst.byteSize()
                    + ") are outside tensor " + t.name() + " of " + t.byteSize() + " bytes");
        }
        ByteBuffer buffer = dst.asByteBuffer();
        long position = dataStart + t.begin() + from;
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException(path + " ends inside tensor " + t.name());
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                arena.close();
            } finally {
                try {
                    channel.close();
                } catch (IOException e) {
                    // read-only: nothing written through it is lost
                }
            }
        }
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + tensors.size() + " tensors]";
    }
}
