package dev.seriatim.io.gguf;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Little-endian GGUF primitives written to a stream, with the position tracked for padding. */
final class GgufOutput {

    private final OutputStream out;
    private final byte[] scratch = new byte[8];
    private long position;

    GgufOutput(OutputStream out) {
        this.out = out;
    }

    long position() {
        return position;
    }

    void u8(int v) throws IOException {
        out.write(v);
        position++;
    }

    void u16(int v) throws IOException {
        little(v, 2);
    }

    void u32(long v) throws IOException {
        little(v, 4);
    }

    void u64(long v) throws IOException {
        little(v, 8);
    }

    void f32(float v) throws IOException {
        u32(Float.floatToRawIntBits(v));
    }

    void f64(double v) throws IOException {
        u64(Double.doubleToRawLongBits(v));
    }

    /** A GGUF string: u64 UTF-8 byte length, then the bytes. */
    void string(String s) throws IOException {
        bytes(s.getBytes(StandardCharsets.UTF_8), true);
    }

    void bytes(byte[] b) throws IOException {
        bytes(b, false);
    }

    private void bytes(byte[] b, boolean withLength) throws IOException {
        if (withLength) {
            u64(b.length);
        }
        out.write(b);
        position += b.length;
    }

    /** Zero bytes up to the next multiple of {@code alignment}. */
    void pad(int alignment) throws IOException {
        long target = GgufAlignment.align(position, alignment);
        while (position < target) {
            u8(0);
        }
    }

    private void little(long v, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            scratch[i] = (byte) (v >>> (8 * i));
        }
        out.write(scratch, 0, n);
        position += n;
    }
}
