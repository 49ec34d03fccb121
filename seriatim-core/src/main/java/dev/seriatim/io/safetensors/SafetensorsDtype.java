package dev.seriatim.io.safetensors;

import dev.seriatim.tensor.GgmlType;
import java.util.Optional;

/**
 * The element types the safetensors format names, with their sizes. Only the float types map to
 * a {@link GgmlType} Seriatim computes with; the others are still recognised so a file holding
 * them validates (its integer tensors, such as position ids, are simply not used).
 */
public enum SafetensorsDtype {
    BOOL(1), U8(1), I8(1), F8_E4M3(1), F8_E5M2(1),
    I16(2), U16(2), F16(2), BF16(2),
    I32(4), U32(4), F32(4),
    I64(8), U64(8), F64(8);

    private final int bytes;

    SafetensorsDtype(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The weight type with the same bytes, for F32, F16 and BF16. */
    public Optional<GgmlType> ggmlType() {
        return switch (this) {
            case F32 -> Optional.of(GgmlType.F32);
            case F16 -> Optional.of(GgmlType.F16);
            case BF16 -> Optional.of(GgmlType.BF16);
            default -> Optional.empty();
        };
    }

    /** The dtype spelled {@code name} in a header, if it is one. */
    public static Optional<SafetensorsDtype> parse(String name) {
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
