package dev.seriatim.io.gguf;

/** The type tags of GGUF metadata values, with their on-disk ids. */
public enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    STRING(8, 8),
    ARRAY(9, 12),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private static final GgufValueType[] BY_ID = values();

    private final int id;
    private final int minEncodedBytes;

    GgufValueType(int id, int minEncodedBytes) {
        this.id = id;
        this.minEncodedBytes = minEncodedBytes;
    }

    /** The on-disk id of this type. */
    public int id() {
        return id;
    }

    /**
     * The fewest bytes one value of this type can take in a file: the exact size for scalars, the
     * length field for strings, and element type plus count for arrays. Used to bound counts by
     * the bytes left before anything is allocated.
     */
    int minEncodedBytes() {
        return minEncodedBytes;
    }

    /** True for the eight integer types (BOOL is not an integer). */
    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    /** The type with this on-disk id, or {@code null} if the id is unknown. */
    public static GgufValueType byId(long id) {
        // ids are dense 0..12 in declaration order
        return id >= 0 && id < BY_ID.length ? BY_ID[(int) id] : null;
    }
}
