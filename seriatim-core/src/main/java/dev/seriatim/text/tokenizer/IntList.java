package dev.seriatim.text.tokenizer;

import java.util.Arrays;

/** A growable list of primitive ints. */
final class IntList {

    private int[] values = new int[16];
    private int size;

    int size() {
        return size;
    }

    int get(int i) {
        return values[i];
    }

    void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    void addAll(int[] more) {
        if (size + more.length > values.length) {
            values = Arrays.copyOf(values, Math.max(size * 2, size + more.length));
        }
        System.arraycopy(more, 0, values, size, more.length);
        size += more.length;
    }

    void clear() {
        size = 0;
    }

    void copyFrom(IntList other) {
        if (values.length < other.size) {
            values = new int[other.values.length];
        }
        System.arraycopy(other.values, 0, values, 0, other.size);
        size = other.size;
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
