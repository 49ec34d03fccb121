package dev.seriatim.text.tokenizer;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * The decoded bytes of every token, all in one array with an offset per token. One
 * {@code byte[]} per token would cost an object header and padding each (about 3.5 MB for 128k
 * tokens of a few bytes); this costs the bytes plus four per token.
 */
final class TokenBytes {

    private final byte[] bytes;
    private final int[] start; // token id's bytes are [start[id], start[id + 1])

    /** The bytes {@code bytesOf} gives for ids {@code 0 .. count - 1}. */
    TokenBytes(int count, IntFunction<byte[]> bytesOf) {
        byte[] all = new byte[Math.max(16, count * 4)];
        int[] at = new int[count + 1];
        int size = 0;
        for (int id = 0; id < count; id++) {
            byte[] one = bytesOf.apply(id);
            if (size + one.length > all.length) {
                all = Arrays.copyOf(all, Math.max(2 * all.length, size + one.length));
            }
            System.arraycopy(one, 0, all, size, one.length);
            size += one.length;
            at[id + 1] = size;
        }
        this.bytes = Arrays.copyOf(all, size);
        this.start = at;
    }

    /** The bytes of token {@code id}, as a fresh array. */
    byte[] of(int id) {
        return Arrays.copyOfRange(bytes, start[id], start[id + 1]);
    }

    int length(int id) {
        return start[id + 1] - start[id];
    }

    /** Byte {@code index} of token {@code id}. */
    byte at(int id, int index) {
        return bytes[start[id] + index];
    }

    /** Appends the bytes of token {@code id} from {@code skip} on. */
    void writeTo(int id, int skip, ByteArrayOutputStream out) {
        out.write(bytes, start[id] + skip, length(id) - skip);
    }
}
