package dev.seriatim.io;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Locale;
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

    /**
     * The first string equal to an earlier one, as {earlier index, its index}, or null when all
     * differ. Compares bytes, which for well-formed UTF-8 is comparing the strings.
     */
    public int[] firstRepeat() {
        int capacity = Integer.highestOneBit(Math.max(2, size()) * 2 - 1) << 1; // load at most 1/2
        int[] slots = new int[capacity]; // index + 1, 0 for empty
        int mask = capacity - 1;
        for (int i = 0; i < size(); i++) {
            int start = start(i);
            int hash = 1;
            for (int p = start; p < ends[i]; p++) {
                hash = 31 * hash + utf8[p];
            }
            for (int slot = (int) ((hash * 0x9E3779B97F4A7C15L) >>> 32) & mask; ; slot = (slot + 1) & mask) {
                int other = slots[slot] - 1;
                if (other < 0) {
                    slots[slot] = i + 1;
                    break;
                }
                int otherStart = start(other);
                if (Arrays.equals(utf8, otherStart, ends[other], utf8, start, ends[i])) {
                    return new int[] {other, i};
                }
            }
        }
        return null;
    }

    /** The index of the first unpaired surrogate in {@code text}, which UTF-8 cannot hold, or -1. */
    public static int unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
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

        /**
         * Adds {@code text} as UTF-8.
         *
         * @throws IllegalArgumentException if it holds an unpaired surrogate, which UTF-8 cannot
         *                                  encode (String.getBytes would make it '?', another text)
         */
        public void add(String text) {
            int bad = unpairedSurrogate(text);
            if (bad >= 0) {
                throw new IllegalArgumentException("unpaired surrogate U+" + Integer.toHexString(text.charAt(bad)).toUpperCase(Locale.ROOT)
                        + " at index " + bad);
            }
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            add(bytes, 0, bytes.length);
        }

        /** Adds string {@code index} of {@code from}, byte for byte. */
        public void add(Utf8Strings from, int index) {
            int start = from.start(index);
            add(from.utf8, start, from.ends[index] - start);
        }

        public Utf8Strings build() {
            return new Utf8Strings(Arrays.copyOf(utf8, size), Arrays.copyOf(ends, count));
        }
    }
}
