package dev.seriatim.quant;

/**
 * Conversions for bfloat16: the upper 16 bits of an IEEE float32 (1 sign, 8 exponent, 7
 * fraction bits), so widening is a 16-bit shift and narrowing is a rounding of the low half.
 */
public final class BFloat16 {

    private BFloat16() {}

    /** The float whose upper half is {@code bits} (exact). */
    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /**
     * The bfloat16 nearest to {@code value}, ties to even. NaN stays NaN: its upper half is kept
     * and the quiet bit forced, because rounding could otherwise carry a NaN payload into
     * infinity.
     */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7FFF_FFFF) > 0x7F80_0000) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        // Adding 0x7FFF rounds up when the low half is above one half; the extra lowest kept
        // bit turns an exact half into a round-up only when that would make the result even.
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }
}
