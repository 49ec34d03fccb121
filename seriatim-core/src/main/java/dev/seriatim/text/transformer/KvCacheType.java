package dev.seriatim.text.transformer;

import java.util.Locale;

/** How a transformer state keeps the keys and values of the positions it has consumed. */
public enum KvCacheType {
    /** Floats, as computed. */
    F32,
    /**
     * Halves (IEEE binary16, rounded to nearest even), the default, as llama.cpp's cache by default:
     * half the memory, and half of what a token reads of a long context. Attention runs in float
     * over the values widened exactly, so it equals attention over a float cache of the rounded
     * values bit for bit.
     */
    F16;

    /** The type named {@code f32} or {@code f16} (any case). */
    public static KvCacheType parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "f32" -> F32;
            case "f16" -> F16;
            default -> throw new IllegalArgumentException("KV cache type must be f32 or f16, got \"" + name + "\"");
        };
    }
}
