package dev.seriatim.io.gguf;

import java.util.Random;

/** Random GGUF metadata values of every type, for property-style tests. */
final class RandomGguf {

    private static final String[] PIECES = {"", "a", "é", "日本", "🌍", "token", "\n", "<0x0A>", "▁the"};

    private RandomGguf() {}

    static String string(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            sb.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }

    /** A random value; arrays nest at most {@code depth} more levels. */
    static GgufValue value(Random r, int depth) {
        GgufValueType type = GgufValueType.values()[r.nextInt(GgufValueType.values().length)];
        if (type == GgufValueType.ARRAY && depth == 0) {
            type = GgufValueType.STRING;
        }
        return switch (type) {
            case UINT8 -> GgufValue.uint8(r.nextInt(256));
            case INT8 -> GgufValue.int8(r.nextInt(256) - 128);
            case UINT16 -> GgufValue.uint16(r.nextInt(65536));
            case INT16 -> GgufValue.int16(r.nextInt(65536) - 32768);
            case UINT32 -> GgufValue.uint32(r.nextLong(1L << 32));
            case INT32 -> GgufValue.int32(r.nextInt());
            case UINT64 -> GgufValue.uint64(r.nextLong());
            case INT64 -> GgufValue.int64(r.nextLong());
            case FLOAT32 -> GgufValue.float32(Float.intBitsToFloat(r.nextInt()));
            case FLOAT64 -> GgufValue.float64(Double.longBitsToDouble(r.nextLong()));
            case BOOL -> GgufValue.bool(r.nextBoolean());
            case STRING -> GgufValue.string(string(r));
            case ARRAY -> GgufValue.array(array(r, depth - 1));
        };
    }

    static GgufArray array(Random r, int depth) {
        GgufValueType type = GgufValueType.values()[r.nextInt(GgufValueType.values().length)];
        if (type == GgufValueType.ARRAY && depth == 0) {
            type = GgufValueType.INT32;
        }
        int n = r.nextInt(6);
        Object values = switch (type) {
            case UINT8, INT8 -> {
                byte[] a = new byte[n];
                r.nextBytes(a);
                yield a;
            }
            case UINT16, INT16 -> {
                short[] a = new short[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (short) r.nextInt();
                }
                yield a;
            }
            case UINT32, INT32 -> r.ints(n).toArray();
            case UINT64, INT64 -> r.longs(n).toArray();
            case FLOAT32 -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = Float.intBitsToFloat(r.nextInt());
                }
                yield a;
            }
            case FLOAT64 -> r.longs(n).mapToDouble(Double::longBitsToDouble).toArray();
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = r.nextBoolean();
                }
                yield a;
            }
            case STRING -> {
                String[] a = new String[n];
                for (int i = 0; i < n; i++) {
                    a[i] = string(r);
                }
                yield a;
            }
            case ARRAY -> {
                GgufArray[] a = new GgufArray[n];
                for (int i = 0; i < n; i++) {
                    a[i] = array(r, depth - 1);
                }
                yield a;
            }
        };
        return new GgufArray(type, values);
    }
}
