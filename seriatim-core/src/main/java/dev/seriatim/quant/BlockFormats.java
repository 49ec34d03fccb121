package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.VectorSupport;

/**
 * Finds the {@link BlockFormat} for a tensor type. Formats are stateless and shared.
 */
public final class BlockFormats {

    /** The types with a format, as listed in error messages. */
    static final String SUPPORTED = "F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K";

    private BlockFormats() {}

    /**
     * The fastest format for {@code type}: the Vector API twin when
     * {@link VectorSupport#available()}, otherwise the plain-Java one.
     *
     * @throws UnsupportedTypeException when the type has no format yet
     */
    public static BlockFormat of(GgmlType type) {
        return VectorSupport.available() ? VectorFormats.of(type) : scalar(type);
    }

    /**
     * The plain-Java format for {@code type}, usable without the Vector API.
     *
     * @throws UnsupportedTypeException when the type has no format yet
     */
    public static BlockFormat scalar(GgmlType type) {
        return switch (type) {
            case F32 -> ScalarFormats.F32;
            case F16 -> ScalarFormats.F16;
            case BF16 -> ScalarFormats.BF16;
            case Q8_0 -> ScalarFormats.Q8_0;
            case Q4_0 -> ScalarFormats.Q4_0;
            case Q4_1 -> ScalarFormats.Q4_1;
            case Q5_0 -> ScalarFormats.Q5_0;
            case Q5_1 -> ScalarFormats.Q5_1;
            case Q4_K -> ScalarFormats.Q4_K;
            case Q5_K -> ScalarFormats.Q5_K;
            case Q6_K -> ScalarFormats.Q6_K;
            default -> throw new UnsupportedTypeException(type);
        };
    }

    private static final class ScalarFormats {
        static final BlockFormat F32 = new F32Format();
        static final BlockFormat F16 = new F16Format();
        static final BlockFormat BF16 = new BF16Format();
        static final BlockFormat Q8_0 = new Q8_0Format();
        static final BlockFormat Q4_0 = new Q4_0Format();
        static final BlockFormat Q4_1 = new Q4_1Format();
        static final BlockFormat Q5_0 = new Q5_0Format();
        static final BlockFormat Q5_1 = new Q5_1Format();
        static final BlockFormat Q4_K = new Q4_KFormat();
        static final BlockFormat Q5_K = new Q5_KFormat();
        static final BlockFormat Q6_K = new Q6_KFormat();
    }

    /** Separate class so the Vector API twins are only loaded when the module is present. */
    private static final class VectorFormats {
        static final BlockFormat F32 = new F32VectorFormat();
        static final BlockFormat F16 = new F16VectorFormat();
        static final BlockFormat BF16 = new BF16VectorFormat();
        static final BlockFormat Q8_0 = new Q8_0VectorFormat();
        static final BlockFormat Q4_0 = new Q4_0VectorFormat();
        static final BlockFormat Q4_1 = new Q4_1VectorFormat();
        static final BlockFormat Q5_0 = new Q5_0VectorFormat();
        static final BlockFormat Q5_1 = new Q5_1VectorFormat();
        static final BlockFormat Q4_K = new Q4_KVectorFormat();
        static final BlockFormat Q5_K = new Q5_KVectorFormat();
        static final BlockFormat Q6_K = new Q6_KVectorFormat();

        static BlockFormat of(GgmlType type) {
            return switch (type) {
                case F32 -> F32;
                case F16 -> F16;
                case BF16 -> BF16;
                case Q8_0 -> Q8_0;
                case Q4_0 -> Q4_0;
                case Q4_1 -> Q4_1;
                case Q5_0 -> Q5_0;
                case Q5_1 -> Q5_1;
                case Q4_K -> Q4_K;
                case Q5_K -> Q5_K;
                case Q6_K -> Q6_K;
                default -> throw new UnsupportedTypeException(type);
            };
        }
    }
}
