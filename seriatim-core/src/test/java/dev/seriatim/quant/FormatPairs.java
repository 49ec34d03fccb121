package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import java.util.List;
import java.util.stream.Stream;

/** The supported types with their scalar and Vector API formats, for parameterised tests. */
record FormatPairs(GgmlType type, BlockFormat scalar, BlockFormat vector) {

    static final List<GgmlType> TYPES =
            List.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0,
                    GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K);

    static Stream<GgmlType> types() {
        return TYPES.stream();
    }

    static FormatPairs of(GgmlType type) {
        BlockFormat vector = switch (type) {
            case F32 -> new F32VectorFormat();
            case F16 -> new F16VectorFormat();
            case BF16 -> new BF16VectorFormat();
            case Q8_0 -> new Q8_0VectorFormat();
            case Q4_0 -> new Q4_0VectorFormat();
            case Q4_1 -> new Q4_1VectorFormat();
            case Q5_0 -> new Q5_0VectorFormat();
            case Q5_1 -> new Q5_1VectorFormat();
            case Q4_K -> new Q4_KVectorFormat();
            case Q5_K -> new Q5_KVectorFormat();
            case Q6_K -> new Q6_KVectorFormat();
            default -> throw new IllegalArgumentException(type.toString());
        };
        return new FormatPairs(type, BlockFormats.scalar(type), vector);
    }
}
