package dev.seriatim.io;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * An immutable list of strings kept as their UTF-8 bytes, all in one array with an end offset
 * per string; {@link #get} decodes one on demand. A tokenizer's vocabulary is 100-300k short
 * strings (tokens, then merges), read from a GGUF file or a tokenizer.json: as Strings each
 * costs two object headers, a length field and padding, about 8 MB for 128k tokens, against
 * 1-2 MB here.
 *
 * <p>Decoding is lenient, as the GGUF reader's own strings are: bytes that are not UTF-8
 * become U+FFFD, since some converters write token strings that are not valid UTF-8.
 */
public final class Utf8Strings extends AbstractList<String> implements RandomAccess {

    private final byte[] utf8;
    private final int[] ends; // string i is utf8[i == 0 ? 0 : ends[i - 1], ends[i])

    private Utf8Strings(byte[] utf8, int[] ends) {
        this.utf8 = utf8;
        this.ends = ends;
    }

    /** The strings of {@code values}, which must hold no null. */
    public static Utf8Strings of(String... values) {
        Builder b = new Builder(values.length);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new IllegalArgumentException("null element #" + i);
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

    /** Collects strings as bytes, one after another. */
    public static final class Builder {

        /** Largest array length every JVM allows. */
        private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

        private byte[] utf8 = new byte[256];
        private int[] ends;
        private int count;
        private int size;

        /** A builder with room for {@code expected} strings; more may be added. */
        public Builder(int expected) {
            ends = new int[Math.max(expected, 16)];
        }

        /** Room for {@code length} more bytes at {@link #size()}. */
        public byte[] reserve(int length) {
            if (length > MAX_ARRAY - size) {
                throw new IllegalArgumentException("strings longer than " + MAX_ARRAY + " bytes in all");
            }
            if (size + length > utf8.length) {
                utf8 = Arrays.copyOf(utf8, (int) Math.min(MAX_ARRAY, Math.max(size + (long) length, 2L * utf8.length)));
            }
            return utf8;
        }

        /** Bytes written so far. */
        public int size() {
            return size;
        }

        /** Ends the next string after {@code length} bytes written at {@link #size()} into {@link #reserve}'s array. */
        public void commit(int length) {
            if (count == ends.length) {
                ends = Arrays.copyOf(ends, (int) Math.min(MAX_ARRAY, 2L * ends.length));
            }
            size += length;
            ends[count++] = size;
        }

        public void add(byte[] bytes, int offset, int length) {
            System.arraycopy(bytes, offset, reserve(length), size, length);
            commit(length);
        }

        /** Adds {@code text} as UTF-8 (an unpaired surrogate becomes '?', as {@link String#getBytes} makes it). */
        public void add(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            add(bytes, 0, bytes.length);
        }

        /** Adds string {@code index} of {@code from}, byte for byte. */
        public void add(Utf8Strings from, int index) {
            int start = from.start(index);
            add(from.utf8, start, from.ends[index] - start);
        }

        /** Strings added so far. */
        public int count() {
            return count;
        }

        public Utf8Strings build() {
            return new Utf8Strings(Arrays.copyOf(utf8, size), Arrays.copyOf(ends, count));
        }
    }
}
