package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;

/** Thrown when a tensor uses a {@link GgmlType} that has no {@link BlockFormat} yet. */
public final class UnsupportedTypeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient GgmlType type;

    public UnsupportedTypeException(GgmlType type) {
        super("tensor type " + type + " is not supported yet (supported: "
                + BlockFormats.SUPPORTED + ")");
        this.type = type;
    }

    /** The type that was asked for. */
    public GgmlType type() {
        return type;
    }
}
