package dev.seriatim.io.gguf;

import dev.seriatim.io.Utf8Strings;
import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Objects;

/**
 * A homogeneous GGUF metadata array.
 *
 * <p>{@code values} is a Java array whose component type follows {@code elementType}:
 * {@code byte[]} for UINT8/INT8, {@code short[]} for UINT16/INT16, {@code int[]} for
 * UINT32/INT32, {@code long[]} for UINT64/INT64 (unsigned types keep their bits),
 * {@code float[]} for FLOAT32, {@code double[]} for FLOAT64, {@code boolean[]} for BOOL,
 * {@code String[]} for STRING and {@code GgufArray[]} for nested ARRAYs. STRING values may also
 * be given as {@link Utf8Strings}, which is how they are kept: {@link #strings()} hands that
 * list out without a copy, {@link #values()} decodes a fresh {@code String[]}.
 *
 * <p>Instances are immutable: the array is copied on the way in and on every call to
 * {@link #values()}; the one exception is {@link GgufMetadata}'s shared getters, whose callers
 * promise not to modify what they get. Equality compares contents.
 */
public record GgufArray(GgufValueType elementType, Object values) {

    /** Checks the representation and takes a private copy of {@code values}. */
    public GgufArray {
        Objects.requireNonNull(elementType, "elementType");
        Objects.requireNonNull(values, "values");
        if (elementType == GgufValueType.STRING) {
            values = switch (values) {
                case Utf8Strings strings -> strings; // immutable: no copy needed
                case String[] strings -> Utf8Strings.of(strings);
                default -> throw new IllegalArgumentException("STRING array must be a String[] or Utf8Strings, got "
                        + values.getClass().getSimpleName());
            };
        }
        Class<?> expected = javaArrayClass(elementType);
        if (values.getClass() != expected) {
            throw new IllegalArgumentException(
                    elementType + " array must be a " + expected.getSimpleName() + ", got "
                            + values.getClass().getSimpleName());
        }
        values = copy(values);
        if (values instanceof Object[] objects) {
            for (int i = 0; i < objects.length; i++) {
                if (objects[i] == null) {
                    throw new IllegalArgumentException("null element #" + i + " in " + elementType + " array");
                }
            }
        }
    }

    /** The Java array class that holds elements of {@code type}. */
    static Class<?> javaArrayClass(GgufValueType type) {
        return switch (type) {
            case UINT8, INT8 -> byte[].class;
            case UINT16, INT16 -> short[].class;
            case UINT32, INT32 -> int[].class;
            case UINT64, INT64 -> long[].class;
            case FLOAT32 -> float[].class;
            case FLOAT64 -> double[].class;
            case BOOL -> boolean[].class;
            case STRING -> Utf8Strings.class;
            case ARRAY -> GgufArray[].class;
        };
    }

    private static Object copy(Object array) {
        if (array instanceof Utf8Strings strings) {
            return strings;
        }
        int n = Array.getLength(array);
        Object copy = Array.newInstance(array.getClass().getComponentType(), n);
        System.arraycopy(array, 0, copy, 0, n);
        return copy;
    }

    /**
     * The elements as held, not copied: for a reader that keeps a large array for as long as
     * the metadata lives (a vocabulary's scores and token types) and would otherwise hold it
     * twice. The caller must not modify it. A STRING array gives its {@link #strings()} list.
     * Only {@link GgufMetadata}'s shared getters hand these out.
     */
    Object sharedValues() {
        return values;
    }

    /** A fresh copy of the elements, as described in the class comment. */
    @Override
    public Object values() {
        return values instanceof Utf8Strings strings ? strings.toArray(String[]::new) : copy(values);
    }

    /** The elements of a STRING array, as the list it keeps (immutable, shared). */
    public Utf8Strings strings() {
        if (!(values instanceof Utf8Strings strings)) {
            throw new IllegalStateException("a " + elementType + " array has no strings");
        }
        return strings;
    }

    /** Number of elements. */
    public int length() {
        return values instanceof Utf8Strings strings ? strings.size() : Array.getLength(values);
    }

    /** A STRING array. */
    public static GgufArray ofStrings(String... values) {
        return new GgufArray(GgufValueType.STRING, values);
    }

    /** A FLOAT32 array. */
    public static GgufArray ofFloats(float... values) {
        return new GgufArray(GgufValueType.FLOAT32, values);
    }

    /** A FLOAT64 array. */
    public static GgufArray ofDoubles(double... values) {
        return new GgufArray(GgufValueType.FLOAT64, values);
    }

    /** An INT32 array. */
    public static GgufArray ofInt32(int... values) {
        return new GgufArray(GgufValueType.INT32, values);
    }

    /** A UINT32 array (each int holds the 32 bits of one element). */
    public static GgufArray ofUInt32(int... values) {
        return new GgufArray(GgufValueType.UINT32, values);
    }

    /** An INT64 array. */
    public static GgufArray ofInt64(long... values) {
        return new GgufArray(GgufValueType.INT64, values);
    }

    /** A BOOL array. */
    public static GgufArray ofBools(boolean... values) {
        return new GgufArray(GgufValueType.BOOL, values);
    }

    /** An array of arrays. */
    public static GgufArray ofArrays(GgufArray... values) {
        return new GgufArray(GgufValueType.ARRAY, values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufArray other
                && elementType == other.elementType
                && Arrays.deepEquals(new Object[] {values}, new Object[] {other.values});
    }

    @Override
    public int hashCode() {
        return 31 * elementType.hashCode() + Arrays.deepHashCode(new Object[] {values});
    }

    @Override
    public String toString() {
        String body = Arrays.deepToString(new Object[] {values});
        // deepToString wraps in an extra [ ]; drop it, and keep long arrays short
        body = body.substring(1, body.length() - 1);
        if (body.length() > 200) {
            body = body.substring(0, 200) + "...";
        }
        return elementType + "[" + length() + "]" + body;
    }
}
