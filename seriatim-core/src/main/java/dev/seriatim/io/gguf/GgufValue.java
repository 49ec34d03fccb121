package dev.seriatim.io.gguf;

import java.util.Objects;

/**
 * One typed GGUF metadata value.
 *
 * <p>The Java representation of {@code value} depends on {@code type}: all integer types are a
 * {@link Long} (UINT64 keeps its 64 bits, so values above {@code Long.MAX_VALUE} are negative),
 * FLOAT32 a {@link Float}, FLOAT64 a {@link Double}, BOOL a {@link Boolean}, STRING a
 * {@link String} and ARRAY a {@link GgufArray}. The constructor rejects mismatches and integers
 * outside their type's range, so every value can be written back faithfully.
 */
public record GgufValue(GgufValueType type, Object value) {

    /** Checks that {@code value} has the representation and range that {@code type} requires. */
    public GgufValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        Class<?> expected = switch (type) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> Long.class;
            case FLOAT32 -> Float.class;
            case FLOAT64 -> Double.class;
            case BOOL -> Boolean.class;
            case STRING -> String.class;
            case ARRAY -> GgufArray.class;
        };
        if (value.getClass() != expected) {
            throw new IllegalArgumentException(
                    type + " value must be a " + expected.getSimpleName() + ", got "
                            + value.getClass().getSimpleName());
        }
        if (value instanceof Long l && !fitsRange(type, l)) {
            throw new IllegalArgumentException(l + " is out of range for " + type);
        }
    }

    private static boolean fitsRange(GgufValueType type, long v) {
        return switch (type) {
            case UINT8 -> v >= 0 && v <= 0xFF;
            case INT8 -> v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE;
            case UINT16 -> v >= 0 && v <= 0xFFFF;
            case INT16 -> v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
            case UINT32 -> v >= 0 && v <= 0xFFFF_FFFFL;
            case INT32 -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
            default -> true; // UINT64 keeps raw bits, INT64 is the full long range
        };
    }

    /** A UINT8 value, 0..255. */
    public static GgufValue uint8(int v) {
        return new GgufValue(GgufValueType.UINT8, (long) v);
    }

    /** An INT8 value, -128..127. */
    public static GgufValue int8(int v) {
        return new GgufValue(GgufValueType.INT8, (long) v);
    }

    /** A UINT16 value, 0..65535. */
    public static GgufValue uint16(int v) {
        return new GgufValue(GgufValueType.UINT16, (long) v);
    }

    /** An INT16 value. */
    public static GgufValue int16(int v) {
        return new GgufValue(GgufValueType.INT16, (long) v);
    }

    /** A UINT32 value, 0..2^32-1. */
    public static GgufValue uint32(long v) {
        return new GgufValue(GgufValueType.UINT32, v);
    }

    /** An INT32 value. */
    public static GgufValue int32(int v) {
        return new GgufValue(GgufValueType.INT32, (long) v);
    }

    /** A UINT64 value given by its 64 bits (negative longs stand for values >= 2^63). */
    public static GgufValue uint64(long bits) {
        return new GgufValue(GgufValueType.UINT64, bits);
    }

    /** An INT64 value. */
    public static GgufValue int64(long v) {
        return new GgufValue(GgufValueType.INT64, v);
    }

    /** A FLOAT32 value. */
    public static GgufValue float32(float v) {
        return new GgufValue(GgufValueType.FLOAT32, v);
    }

    /** A FLOAT64 value. */
    public static GgufValue float64(double v) {
        return new GgufValue(GgufValueType.FLOAT64, v);
    }

    /** A BOOL value. */
    public static GgufValue bool(boolean v) {
        return new GgufValue(GgufValueType.BOOL, v);
    }

    /** A STRING value (stored as UTF-8). */
    public static GgufValue string(String v) {
        return new GgufValue(GgufValueType.STRING, v);
    }

    /** An ARRAY value. */
    public static GgufValue array(GgufArray v) {
        return new GgufValue(GgufValueType.ARRAY, v);
    }

    @Override
    public String toString() {
        return type + ":" + (type == GgufValueType.UINT64 ? Long.toUnsignedString((Long) value) : value);
    }
}
