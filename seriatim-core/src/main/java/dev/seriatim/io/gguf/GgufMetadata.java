package dev.seriatim.io.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The key/value metadata of a GGUF file, immutable and in file order, with typed accessors
 * (the {@code findShared*Array} ones hand out held arrays that the caller must not modify).
 *
 * <p>{@code getX} methods require the key; {@code findX} methods return empty when it is
 * absent. Both throw {@link GgufFormatException} naming the key, the expected and the actual
 * type when the value is present but has the wrong type, since that means the file does not
 * follow its schema.
 */
public final class GgufMetadata {

    private final Map<String, GgufValue> entries;

    private GgufMetadata(Map<String, GgufValue> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** Metadata holding a copy of {@code entries}, in their iteration order. */
    public static GgufMetadata of(Map<String, GgufValue> entries) {
        LinkedHashMap<String, GgufValue> copy = new LinkedHashMap<>();
        entries.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "key"),
                Objects.requireNonNull(v, "value")));
        return new GgufMetadata(copy);
    }

    /** The keys, in file order. */
    public Set<String> keys() {
        return entries.keySet();
    }

    /** The number of entries. */
    public int size() {
        return entries.size();
    }

    /** The value of {@code key}, if present. */
    public Optional<GgufValue> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** The STRING value of {@code key}. */
    public String getString(String key) {
        return findString(key).orElseThrow(() -> missing(key, "STRING"));
    }

    /** The STRING value of {@code key}, if present. */
    public Optional<String> findString(String key) {
        return scalar(key, GgufValueType.STRING).map(v -> (String) v.value());
    }

    /** The value of {@code key}, which may have any integer type, as a long. */
    public long getLong(String key) {
        OptionalLong v = findLong(key);
        if (v.isEmpty()) {
            throw missing(key, "an integer");
        }
        return v.getAsLong();
    }

    /** The value of {@code key}, which may have any integer type, as a long, if present. */
    public OptionalLong findLong(String key) {
        GgufValue v = entries.get(key);
        if (v == null) {
            return OptionalLong.empty();
        }
        if (!v.type().isInteger()) {
            throw wrongType(key, "an integer", describe(v));
        }
        long l = (Long) v.value();
        if (v.type() == GgufValueType.UINT64 && l < 0) {
            throw new GgufFormatException("metadata key " + GgufNames.quote(key) + " value "
                    + Long.toUnsignedString(l) + " does not fit a signed 64-bit integer");
        }
        return OptionalLong.of(l);
    }

    /** The FLOAT32, FLOAT64 or integer value of {@code key}, as a float. */
    public float getFloat(String key) {
        return findFloat(key).orElseThrow(() -> missing(key, "a number"));
    }

    /** The FLOAT32, FLOAT64 or integer value of {@code key}, as a float, if present. */
    public Optional<Float> findFloat(String key) {
        GgufValue v = entries.get(key);
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(switch (v.type()) {
            case FLOAT32 -> (Float) v.value();
            case FLOAT64 -> (float) (double) (Double) v.value();
            case UINT64 -> (float) unsignedToDouble((Long) v.value());
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, INT64 -> (float) (long) (Long) v.value();
            default -> throw wrongType(key, "a number", describe(v));
        });
    }

    private static double unsignedToDouble(long bits) {
        double d = (double) (bits >>> 1) * 2.0;
        return d + (bits & 1);
    }

    /** The BOOL value of {@code key}, if present. */
    public Optional<Boolean> findBool(String key) {
        return scalar(key, GgufValueType.BOOL).map(v -> (Boolean) v.value());
    }

    /** The STRING array value of {@code key}, as a fresh array. */
    public String[] getStringArray(String key) {
        return findStringArray(key).orElseThrow(() -> missing(key, "ARRAY of STRING"));
    }

    /** The STRING array value of {@code key}, as a fresh array, if present. */
    public Optional<String[]> findStringArray(String key) {
        return array(key, GgufValueType.STRING).map(a -> (String[]) a.values());
    }

    /**
     * The STRING array value of {@code key} as the list the metadata keeps (immutable, shared,
     * decoded one element at a time): what a vocabulary should be read with, since a fresh
     * {@code String[]} of it costs several times its bytes.
     */
    public List<String> getStringList(String key) {
        return array(key, GgufValueType.STRING).map(GgufArray::strings)
                .orElseThrow(() -> missing(key, "ARRAY of STRING"));
    }

    /** As {@link #getStringList}, if present. */
    public Optional<List<String>> findStringList(String key) {
        return array(key, GgufValueType.STRING).map(GgufArray::strings);
    }

    /** The FLOAT32 array value of {@code key}, as a fresh array. */
    public float[] getFloatArray(String key) {
        return findFloatArray(key).orElseThrow(() -> missing(key, "ARRAY of FLOAT32"));
    }

    /** The FLOAT32 array value of {@code key}, as a fresh array, if present. */
    public Optional<float[]> findFloatArray(String key) {
        return array(key, GgufValueType.FLOAT32).map(a -> (float[]) a.values());
    }

    /**
     * The FLOAT32 array value of {@code key} as the metadata holds it, if present
     * ({@link GgufArray#sharedValues}): not a copy, so it must not be modified.
     */
    public Optional<float[]> findSharedFloatArray(String key) {
        return array(key, GgufValueType.FLOAT32).map(a -> (float[]) a.sharedValues());
    }

    /**
     * As {@link #findIntArray}, but an INT32 array is handed out as the metadata holds it (not
     * a copy, so it must not be modified); other integer types are converted into a fresh array.
     */
    public Optional<int[]> findSharedIntArray(String key) {
        GgufValue v = entries.get(key);
        if (v != null && v.value() instanceof GgufArray a && a.elementType() == GgufValueType.INT32) {
            return Optional.of((int[]) a.sharedValues());
        }
        return findIntArray(key);
    }

    /**
     * The integer array value of {@code key} as ints; any integer element type is accepted as
     * long as every element fits an int.
     */
    public int[] getIntArray(String key) {
        return findIntArray(key).orElseThrow(() -> missing(key, "ARRAY of integers"));
    }

    /** Like {@link #getIntArray}, but empty when the key is absent. */
    public Optional<int[]> findIntArray(String key) {
        GgufValue v = entries.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v.value() instanceof GgufArray a) || !a.elementType().isInteger()) {
            throw wrongType(key, "ARRAY of integers", describe(v));
        }
        return Optional.of(GgufIntArrays.toInts(key, a));
    }

    private Optional<GgufValue> scalar(String key, GgufValueType type) {
        GgufValue v = entries.get(key);
        if (v != null && v.type() != type) {
            throw wrongType(key, type.name(), describe(v));
        }
        return Optional.ofNullable(v);
    }

    private Optional<GgufArray> array(String key, GgufValueType elementType) {
        GgufValue v = entries.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v.value() instanceof GgufArray a) || a.elementType() != elementType) {
            throw wrongType(key, "ARRAY of " + elementType, describe(v));
        }
        return Optional.of(a);
    }

    private static String describe(GgufValue v) {
        return v.value() instanceof GgufArray a ? "ARRAY of " + a.elementType() : v.type().name();
    }

    private static GgufFormatException missing(String key, String expected) {
        return new GgufFormatException(
                "metadata key " + GgufNames.quote(key) + " is missing (expected " + expected + ")");
    }

    private static GgufFormatException wrongType(String key, String expected, String actual) {
        return new GgufFormatException(
                "metadata key " + GgufNames.quote(key) + " has type " + actual + ", expected " + expected);
    }

    @Override
    public boolean equals(Object o) {
        // LinkedHashMap equality ignores order; file order matters for GGUF, so compare it too
        return o instanceof GgufMetadata other
                && entries.equals(other.entries)
                && List.copyOf(entries.keySet()).equals(List.copyOf(other.entries.keySet()));
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "GgufMetadata" + entries;
    }
}
