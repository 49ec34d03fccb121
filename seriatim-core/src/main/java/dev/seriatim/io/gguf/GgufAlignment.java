package dev.seriatim.io.gguf;

/** The {@code general.alignment} rule: a power of two that fits an int, 32 when absent. */
final class GgufAlignment {

    static final String KEY = "general.alignment";
    static final int DEFAULT = 32;

    private GgufAlignment() {}

    /** The alignment declared by {@code metadata}, validated. */
    static int of(GgufMetadata metadata) {
        return metadata.get(KEY).map(GgufAlignment::of).orElse(DEFAULT);
    }

    /** Validates one {@code general.alignment} value; the spec says UINT32, any integer type is accepted. */
    static int of(GgufValue value) {
        if (!value.type().isInteger()) {
            throw new GgufFormatException(KEY + " has type " + value.type() + ", expected UINT32");
        }
        long a = (Long) value.value();
        if (a <= 0 || a > (1 << 30) || Long.bitCount(a) != 1) {
            throw new GgufFormatException(KEY + " is " + Long.toUnsignedString(a)
                    + " (must be a power of two between 1 and 2^30)");
        }
        return (int) a;
    }

    /** {@code position} rounded up to a multiple of {@code alignment} (a power of two). */
    static long align(long position, int alignment) {
        return (position + alignment - 1) & -(long) alignment;
    }
}
