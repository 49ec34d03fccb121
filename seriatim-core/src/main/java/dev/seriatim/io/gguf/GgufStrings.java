package dev.seriatim.io.gguf;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * An immutable list of strings kept as their UTF-8 bytes, all in one array with an end offset
 * per string; {@link #get} decodes one on demand. A GGUF vocabulary is 100-300k short strings
 * (tokens, then merges): as Strings each costs two object headers, a length field and padding,
 * about 8 MB for 128k tokens, against 1-2 MB here.
 *
 * <p>Decoding is lenient, as the reader's own strings are: bytes that are not UTF-8 become
 * U+FFFD, since some converters write token strings that are not valid UTF-8.
 */
public final class GgufStrings extends AbstractList<String> implements RandomAccess {

    private final byte[] utf8;
    private final int[] ends; // string i is utf8[i == 0 ? 0 : ends[i - 1], ends[i])

    private GgufStrings(byte[] utf8, int[] ends) {
        this.utf8 = utf8;
        this.ends = ends;
    }

    /** The strings of {@code values}, which must hold no null. */
    public static GgufStrings of(String... values) {
        Builder b = new Builder(values.length);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new IllegalArgumentException("null element #" + i + " in STRING array");
            }
            byte[] bytes = values[i].getBytes(StandardCharsets.UTF_8);
            b.add(bytes, 0, bytes.length);
        }
        return b.build();
    }

    @Override
    public String get(int index) {
        int start = start(index); // checks the index
        return new String(utf8, start, ends[index] - start, StandardCharsets.UTF_8);
    }

    @Override
    public int size() {
        return ends.length;
    }

    /** Holds no null, so a null check (as a spec's constructor makes) need not decode every string. */
    @Override
    public int indexOf(Object o) {
        return o == null ? -1 : super.indexOf(o);
    }

    @Override
    public boolean contains(Object o) {
        return indexOf(o) >= 0;
    }

    /**
     * Whether string {@code index} equals {@code text}: {@code get(index).equals(text)} without
     * decoding into a new String, for lookups that compare on every hash hit (a tokenizer's
     * merge loop). Well-formed UTF-8 is compared as it is decoded; a string with bytes that are
     * not (which the lenient decoding turns into U+FFFD) is decoded and compared.
     */
    public boolean equalsAt(int index, String text) {
        int p = start(index);
        int end = ends[index];
        int i = 0;
        int n = text.length();
        while (p < end) {
            int b = utf8[p];
            if (b >= 0) {
                if (i >= n || text.charAt(i) != b) {
                    return false; // the bytes so far are well formed, so the decoded string differs here
                }
                p++;
                i++;
                continue;
            }
            int length = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
            int cp = length == 2 ? b & 0x1F : length == 3 ? b & 0x0F : b & 0x07;
            if (length == 0 || p + length > end) {
                return get(index).equals(text);
            }
            for (int k = 1; k < length; k++) {
                int c = utf8[p + k];
                if ((c & 0xC0) != 0x80) {
                    return get(index).equals(text);
                }
                cp = cp << 6 | c & 0x3F;
            }
            boolean wellFormed = length == 2 ? cp >= 0x80
                    : length == 3 ? cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)
                    : cp >= 0x10000 && cp <= 0x10FFFF;
            if (!wellFormed) {
                return get(index).equals(text);
            }
            if (cp < 0x10000) {
                if (i >= n || text.charAt(i) != cp) {
                    return false;
                }
                i++;
            } else {
                if (i + 1 >= n || text.charAt(i) != Character.highSurrogate(cp)
                        || text.charAt(i + 1) != Character.lowSurrogate(cp)) {
                    return false;
                }
                i += 2;
            }
            p += length;
        }
        return i == n;
    }

    /** Bytes of UTF-8 all the strings take together. */
    public int byteSize() {
        return utf8.length;
    }

    private int start(int index) {
        java.util.Objects.checkIndex(index, ends.length);
        return index == 0 ? 0 : ends[index - 1];
    }

    /** Collects a known number of strings as bytes. */
    static final class Builder {

        private byte[] utf8 = new byte[256];
        private final int[] ends;
        private int count;
        private int size;

        Builder(int strings) {
            ends = new int[strings];
        }

        /** Room for {@code length} more bytes at {@link #size()}. */
        byte[] reserve(int length) {
            if (length > GgufCursor.MAX_JAVA_ARRAY - size) {
                throw new IllegalArgumentException("strings longer than " + GgufCursor.MAX_JAVA_ARRAY + " bytes in all");
            }
            if (size + length > utf8.length) {
                utf8 = Arrays.copyOf(utf8, (int) Math.min(GgufCursor.MAX_JAVA_ARRAY,
                        Math.max(size + (long) length, 2L * utf8.length)));
            }
            return utf8;
        }

        int size() {
            return size;
        }

        /** Ends the next string after {@code length} bytes written at {@link #size()} into {@link #reserve}'s array. */
        void commit(int length) {
            size += length;
            ends[count++] = size;
        }

        void add(byte[] bytes, int offset, int length) {
            System.arraycopy(bytes, offset, reserve(length), size, length);
            commit(length);
        }

        GgufStrings build() {
            if (count != ends.length) {
                throw new IllegalStateException(count + " of " + ends.length + " strings added");
            }
            return new GgufStrings(Arrays.copyOf(utf8, size), ends);
        }
    }
}
