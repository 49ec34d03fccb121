package dev.seriatim.io.gguf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Places tensor info entries in the file and checks that their data is aligned, lies inside
 * the file, and does not overlap another tensor's data.
 */
final class GgufTensorLayout {

    private GgufTensorLayout() {}

    /**
     * Resolves relative offsets against {@code dataOffset} and validates every range against
     * {@code fileSize}; returns the tensors, in file order, with absolute offsets.
     */
    static List<GgufTensorInfo> place(List<GgufRawTensor> raw, int alignment, long dataOffset, long fileSize) {
        List<GgufTensorInfo> placed = new ArrayList<>(raw.size());
        for (GgufRawTensor t : raw) {
            placed.add(place(t, alignment, dataOffset, fileSize));
        }
        checkNoOverlap(placed);
        return List.copyOf(placed);
    }

    private static GgufTensorInfo place(GgufRawTensor t, int alignment, long dataOffset, long fileSize) {
        long rel = t.relativeOffset();
        // unsigned: a stored offset >= 2^63 reads as negative and is caught by the range check
        if (Long.remainderUnsigned(rel, alignment) != 0) {
            throw new GgufFormatException("tensor " + GgufNames.quote(t.name()) + " data offset "
                    + Long.toUnsignedString(rel)
                    + " is not a multiple of the alignment " + alignment);
        }
        long dataBytes = fileSize - dataOffset; // negative when the header runs past the end
        if (rel < 0 || dataBytes < 0 || rel > dataBytes || t.byteSize() > dataBytes - rel) {
            String range = rel >= 0 && rel <= Long.MAX_VALUE - dataOffset - t.byteSize()
                    ? "[" + (dataOffset + rel) + ", " + (dataOffset + rel + t.byteSize()) + ")"
                    : "at data offset " + Long.toUnsignedString(rel) + " (+" + t.byteSize() + " bytes)";
            throw new GgufFormatException("tensor " + GgufNames.quote(t.name()) + " data " + range
                    + " lies past the end of the file (size " + fileSize + ")");
        }
        return new GgufTensorInfo(t.name(), t.shape(), t.type(), dataOffset + rel, t.byteSize());
    }

    private static void checkNoOverlap(List<GgufTensorInfo> tensors) {
        List<GgufTensorInfo> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.comparingLong(GgufTensorInfo::offset));
        for (int i = 1; i < byOffset.size(); i++) {
            GgufTensorInfo previous = byOffset.get(i - 1);
            GgufTensorInfo current = byOffset.get(i);
            // ranges are inside the file, so the sum cannot overflow
            if (previous.offset() + previous.byteSize() > current.offset()) {
                throw new GgufFormatException("tensors " + GgufNames.quote(previous.name())
                        + " and " + GgufNames.quote(current.name())
                        + " overlap: [" + previous.offset() + ", " + (previous.offset() + previous.byteSize())
                        + ") and [" + current.offset() + ", " + (current.offset() + current.byteSize()) + ")");
            }
        }
    }
}
