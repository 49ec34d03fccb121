package dev.seriatim.io.gguf;

import dev.seriatim.tensor.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates the header of a GGUF v2/v3 file: magic, version, counts, metadata and
 * tensor info entries. Every count and length is checked against the bytes left before anything
 * is allocated for it. Placement of tensor data is checked separately by {@link GgufTensorLayout}.
 */
final class GgufHeaderReader {

    /** "GGUF" read as a little-endian u32. */
    static final int MAGIC = 0x46554747;

    /** Smallest metadata entry: empty key (8), type (4), one-byte value (1). */
    static final int MIN_KV_BYTES = 8 + 4 + 1;

    /** Smallest tensor info: empty name (8), n_dims (4), one dim (8), type (4), offset (8). */
    static final int MIN_TENSOR_INFO_BYTES = 8 + 4 + 8 + 4 + 8;

    static final int MAX_DIMS = 4;

    private final GgufCursor in;
    private final GgufHeapBudget budget;
    private final GgufValueReader values;

    private GgufHeaderReader(MemorySegment file, long heapLimit) {
        this.in = new GgufCursor(file);
        this.budget = new GgufHeapBudget(heapLimit);
        this.values = new GgufValueReader(in, budget);
    }

    /** Reads the header of {@code file}, the whole mapped file. */
    static GgufHeader read(MemorySegment file) {
        return read(file, GgufHeapBudget.DEFAULT_LIMIT);
    }

    /** Reads the header, decoding at most about {@code heapLimit} bytes of Java objects. */
    static GgufHeader read(MemorySegment file, long heapLimit) {
        return new GgufHeaderReader(file, heapLimit).read();
    }

    private GgufHeader read() {
        int magic = in.i32(() -> "header magic");
        if (magic != MAGIC) {
            throw new GgufFormatException(String.format(
                    "not a GGUF file: magic is 0x%08x, expected 0x%08x (\"GGUF\")", magic, MAGIC));
        }
        int version = version(in.i32(() -> "header version"));
        long tensorCount = in.i64(() -> "header tensor count");
        long kvCount = in.i64(() -> "header metadata count");
        in.requireCount(tensorCount, MIN_TENSOR_INFO_BYTES, "tensor info", () -> "header tensor count");
        // both tables follow, so the metadata entries must fit in what the tensor infos leave
        long leftForKvs = in.remaining() - tensorCount * MIN_TENSOR_INFO_BYTES;
        if (kvCount < 0 || kvCount > leftForKvs / MIN_KV_BYTES || kvCount > GgufCursor.MAX_JAVA_ARRAY) {
            throw new GgufFormatException("truncated GGUF: header metadata count " + Long.toUnsignedString(kvCount)
                    + " needs at least " + MIN_KV_BYTES + " bytes per entry (after " + tensorCount
                    + " tensor infos of at least " + MIN_TENSOR_INFO_BYTES + ") but only " + in.remaining()
                    + " are left at offset " + in.position());
        }
        GgufMetadata metadata = metadata((int) kvCount);
        List<GgufRawTensor> tensors = tensors((int) tensorCount);
        return new GgufHeader(version, metadata, List.copyOf(tensors), in.position());
    }

    private static int version(int version) {
        if (version == 2 || version == 3) {
            return version;
        }
        int swapped = Integer.reverseBytes(version);
        if (swapped >= 1 && swapped <= 3) {
            throw new GgufFormatException("big-endian GGUF (version " + swapped
                    + ") is not supported; only little-endian files can be read");
        }
        if (version == 1) {
            throw new GgufFormatException(
                    "GGUF version 1 (32-bit counts) is not supported; re-convert the model to GGUF v3");
        }
        throw new GgufFormatException("unsupported GGUF version " + Integer.toUnsignedString(version)
                + " (supported: 2, 3)");
    }

    private GgufMetadata metadata(int count) {
        LinkedHashMap<String, GgufValue> entries = new LinkedHashMap<>();
        Map<String, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            budget.charge(1, 4 * GgufHeapBudget.OBJECT_OVERHEAD, () -> "metadata key #" + index);
            String key = in.string(() -> "metadata key #" + index);
            budget.charge(1, 2L * key.length(), () -> "metadata key #" + index);
            Integer earlier = indexOf.putIfAbsent(key, index);
            if (earlier != null) {
                throw new GgufFormatException("duplicate metadata key " + GgufNames.quote(key) + " (entries #" + earlier
                        + " and #" + index + ")");
            }
            String what = "metadata value " + GgufNames.quote(key);
            GgufValueType type = values.type(() -> what);
            entries.put(key, values.value(type, () -> what));
        }
        return GgufMetadata.of(entries);
    }

    private List<GgufRawTensor> tensors(int count) {
        List<GgufRawTensor> tensors = new ArrayList<>();
        Map<String, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            budget.charge(1, 4 * GgufHeapBudget.OBJECT_OVERHEAD, () -> "tensor info #" + index);
            String name = in.string(() -> "tensor info #" + index + " name");
            budget.charge(1, 2L * name.length(), () -> "tensor info #" + index);
            Integer earlier = indexOf.putIfAbsent(name, index);
            if (earlier != null) {
                throw new GgufFormatException("duplicate tensor name " + GgufNames.quote(name)
                        + " (tensor infos #" + earlier
                        + " and #" + index + ")");
            }
            tensors.add(tensor(index, name));
        }
        return tensors;
    }

    private GgufRawTensor tensor(int index, String name) {
        String what = "tensor #" + index + " " + GgufNames.quote(name);
        long dims = in.u32(() -> what + " dimension count");
        if (dims < 1 || dims > MAX_DIMS) {
            throw new GgufFormatException(
                    "GGUF: " + what + " has " + dims + " dimensions (must be 1.." + MAX_DIMS + ")");
        }
        long[] shape = new long[(int) dims];
        long elements = 1;
        for (int d = 0; d < shape.length; d++) {
            int dim = d;
            shape[d] = in.i64(() -> what + " dimension " + dim);
            if (shape[d] < 1) {
                throw new GgufFormatException("GGUF: " + what + " dimension " + d + " is "
                        + Long.toUnsignedString(shape[d]) + " (must be >= 1)");
            }
            if (elements > Long.MAX_VALUE / shape[d]) {
                throw new GgufFormatException("GGUF: " + what + " element count overflows a 64-bit integer");
            }
            elements *= shape[d];
        }
        long typeId = in.u32(() -> what + " type");
        GgmlType type = GgmlType.byId(typeId);
        if (type == null) {
            throw new GgufFormatException("GGUF: " + what + " has unknown ggml type id " + typeId);
        }
        if (shape[0] % type.blockSize() != 0) {
            throw new GgufFormatException("GGUF: " + what + " row length " + shape[0]
                    + " is not a multiple of the " + type + " block size " + type.blockSize());
        }
        long byteSize = type.bytesFor(elements);
        if (byteSize < 0) {
            throw new GgufFormatException("GGUF: " + what + " byte size of " + elements + " " + type
                    + " elements overflows a 64-bit integer");
        }
        long offset = in.i64(() -> what + " data offset");
        return new GgufRawTensor(name, shape, type, offset, byteSize);
    }
}
