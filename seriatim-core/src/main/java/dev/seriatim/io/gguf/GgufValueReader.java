package dev.seriatim.io.gguf;

import dev.seriatim.io.Utf8Strings;
import java.util.function.Supplier;

/** Decodes typed metadata values (scalars and possibly nested arrays) from a {@link GgufCursor}. */
final class GgufValueReader {

    /** How deeply arrays may nest; real files use at most one level. */
    static final int MAX_ARRAY_DEPTH = 8;

    private final GgufCursor in;
    private final GgufHeapBudget budget;

    GgufValueReader(GgufCursor in, GgufHeapBudget budget) {
        this.in = in;
        this.budget = budget;
    }

    /** Reads a u32 type id and maps it to a value type. */
    GgufValueType type(Supplier<String> what) {
        long id = in.u32(() -> what.get() + " type");
        GgufValueType type = GgufValueType.byId(id);
        if (type == null) {
            throw new GgufFormatException("GGUF: " + what.get() + " has unknown value type " + id);
        }
        return type;
    }

    /** Reads one value of {@code type}. */
    GgufValue value(GgufValueType type, Supplier<String> what) {
        return switch (type) {
            case UINT8 -> GgufValue.uint8(in.i8(what) & 0xFF);
            case INT8 -> GgufValue.int8(in.i8(what));
            case UINT16 -> GgufValue.uint16(in.i16(what) & 0xFFFF);
            case INT16 -> GgufValue.int16(in.i16(what));
            case UINT32 -> GgufValue.uint32(in.u32(what));
            case INT32 -> GgufValue.int32(in.i32(what));
            case UINT64 -> GgufValue.uint64(in.i64(what));
            case INT64 -> GgufValue.int64(in.i64(what));
            case FLOAT32 -> GgufValue.float32(in.f32(what));
            case FLOAT64 -> GgufValue.float64(in.f64(what));
            case BOOL -> GgufValue.bool(bool(in.i8(what), what));
            case STRING -> GgufValue.string(string(what));
            case ARRAY -> GgufValue.array(array(1, what));
        };
    }

    private String string(Supplier<String> what) {
        String s = in.string(what);
        // UTF-16 chars take at most 2 bytes each per UTF-8 byte decoded
        budget.charge(1, GgufHeapBudget.OBJECT_OVERHEAD + 2L * s.length(), what);
        return s;
    }

    private static boolean bool(byte b, Supplier<String> what) {
        if (b != 0 && b != 1) {
            throw new GgufFormatException("GGUF: " + what.get() + " bool byte is " + (b & 0xFF) + " (must be 0 or 1)");
        }
        return b == 1;
    }

    private GgufArray array(int depth, Supplier<String> what) {
        GgufValueType element = type(() -> what.get() + " array element");
        if (element == GgufValueType.ARRAY && depth >= MAX_ARRAY_DEPTH) {
            throw new GgufFormatException("GGUF: " + what.get() + " nests arrays more than "
                    + MAX_ARRAY_DEPTH + " levels deep");
        }
        long count = in.i64(() -> what.get() + " array count");
        in.requireCount(count, element.minEncodedBytes(), element + " element", () -> what.get() + " array count");
        int n = (int) count;
        // the reader's array plus the defensive copy GgufArray makes
        budget.charge(n, 2L * heapBytesPerElement(element), what);
        Object values = switch (element) {
            case UINT8, INT8 -> {
                byte[] a = new byte[n];
                in.read(a);
                yield a;
            }
            case UINT16, INT16 -> {
                short[] a = new short[n];
                in.read(a);
                yield a;
            }
            case UINT32, INT32 -> {
                int[] a = new int[n];
                in.read(a);
                yield a;
            }
            case UINT64, INT64 -> {
                long[] a = new long[n];
                in.read(a);
                yield a;
            }
            case FLOAT32 -> {
                float[] a = new float[n];
                in.read(a);
                yield a;
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                in.read(a);
                yield a;
            }
            case BOOL -> {
                byte[] raw = new byte[n];
                in.read(raw);
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    int index = i;
                    a[i] = bool(raw[i], () -> what.get() + " element #" + index);
                }
                yield a;
            }
            case STRING -> { // as bytes: a vocabulary of Strings would cost several times as much
                Utf8Strings.Builder strings = new Utf8Strings.Builder(n);
                for (int i = 0; i < n; i++) {
                    int index = i;
                    Supplier<String> at = () -> what.get() + " element #" + index;
                    int length = in.stringLength(at);
                    // charged as the String it can be decoded into (GgufArray.values()), not as its bytes
                    budget.charge(1, GgufHeapBudget.OBJECT_OVERHEAD + 2L * length, at);
                    in.read(strings.reserve(length), strings.size(), length);
                    strings.commit(length);
                }
                yield strings.build();
            }
            case ARRAY -> {
                GgufArray[] a = new GgufArray[n];
                for (int i = 0; i < n; i++) {
                    int index = i;
                    a[i] = array(depth + 1, () -> what.get() + " element #" + index);
                }
                yield a;
            }
        };
        return new GgufArray(element, values);
    }

    private static long heapBytesPerElement(GgufValueType element) {
        return switch (element) {
            case UINT8, INT8, BOOL -> 1;
            case UINT16, INT16 -> 2;
            case UINT32, INT32, FLOAT32 -> 4;
            case UINT64, INT64, FLOAT64 -> 8;
            case STRING -> 8; // the reference; the String itself is charged when read
            case ARRAY -> 8 + GgufHeapBudget.OBJECT_OVERHEAD; // reference plus GgufArray object
        };
    }
}
