package dev.seriatim.io.gguf;

import java.io.IOException;

/** Encodes {@link GgufValue}s and {@link GgufArray}s in GGUF's on-disk layout. */
final class GgufValueWriter {

    private GgufValueWriter() {}

    /** Writes the value's payload (not its type tag). */
    static void write(GgufOutput out, GgufValue v) throws IOException {
        switch (v.type()) {
            case UINT8, INT8 -> out.u8((int) (long) (Long) v.value());
            case UINT16, INT16 -> out.u16((int) (long) (Long) v.value());
            case UINT32, INT32 -> out.u32((Long) v.value());
            case UINT64, INT64 -> out.u64((Long) v.value());
            case FLOAT32 -> out.f32((Float) v.value());
            case FLOAT64 -> out.f64((Double) v.value());
            case BOOL -> out.u8((Boolean) v.value() ? 1 : 0);
            case STRING -> out.string((String) v.value());
            case ARRAY -> write(out, (GgufArray) v.value());
        }
    }

    private static void write(GgufOutput out, GgufArray a) throws IOException {
        out.u32(a.elementType().id());
        out.u64(a.length());
        switch (a.values()) {
            case byte[] b -> out.bytes(b);
            case short[] s -> {
                for (short x : s) {
                    out.u16(x);
                }
            }
            case int[] ints -> {
                for (int x : ints) {
                    out.u32(x);
                }
            }
            case long[] longs -> {
                for (long x : longs) {
                    out.u64(x);
                }
            }
            case float[] floats -> {
                for (float x : floats) {
                    out.f32(x);
                }
            }
            case double[] doubles -> {
                for (double x : doubles) {
                    out.f64(x);
                }
            }
            case boolean[] bools -> {
                for (boolean x : bools) {
                    out.u8(x ? 1 : 0);
                }
            }
            case String[] strings -> {
                for (String x : strings) {
                    out.string(x);
                }
            }
            case GgufArray[] arrays -> {
                for (GgufArray x : arrays) {
                    write(out, x);
                }
            }
            default -> throw new IllegalStateException("unexpected array class " + a.values().getClass());
        }
    }
}
