package dev.seriatim.io.gguf;

/** Widens or narrows any GGUF integer array to {@code int[]}, refusing values that do not fit. */
final class GgufIntArrays {

    private GgufIntArrays() {}

    static int[] toInts(String key, GgufArray array) {
        boolean unsigned = switch (array.elementType()) {
            case UINT8, UINT16, UINT32, UINT64 -> true;
            default -> false;
        };
        Object values = array.values();
        return switch (values) {
            case byte[] b -> {
                int[] out = new int[b.length];
                for (int i = 0; i < b.length; i++) {
                    out[i] = unsigned ? b[i] & 0xFF : b[i];
                }
                yield out;
            }
            case short[] s -> {
                int[] out = new int[s.length];
                for (int i = 0; i < s.length; i++) {
                    out[i] = unsigned ? s[i] & 0xFFFF : s[i];
                }
                yield out;
            }
            case int[] ints -> {
                if (unsigned) {
                    for (int i = 0; i < ints.length; i++) {
                        if (ints[i] < 0) {
                            throw tooBig(key, i, Integer.toUnsignedString(ints[i]));
                        }
                    }
                }
                yield ints;
            }
            case long[] longs -> {
                int[] out = new int[longs.length];
                for (int i = 0; i < longs.length; i++) {
                    long v = longs[i];
                    if (v != (int) v) {
                        throw tooBig(key, i, unsigned ? Long.toUnsignedString(v) : Long.toString(v));
                    }
                    out[i] = (int) v;
                }
                yield out;
            }
            default -> throw new IllegalStateException("not an integer array: " + array.elementType());
        };
    }

    private static GgufFormatException tooBig(String key, int index, String value) {
        return new GgufFormatException(
                "metadata key " + GgufNames.quote(key) + " element #" + index + " value " + value
                        + " does not fit an int");
    }
}
