package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * How one weight type lays out a row of values in memory, and the three things the engine does
 * with such a row: dot it with float activations, expand it to floats, and produce it from
 * floats. Rows are little-endian, as in GGUF; {@code n} is always a whole number of blocks.
 */
public interface BlockFormat {

    GgmlType type();

    /** Sum over i < n of w[i] * x[xOffset + i], where w is the row starting at {@code offset}. */
    float dot(MemorySegment data, long offset, float[] x, int xOffset, int n);

    /**
     * out[outOffset + r] = dot of row r with x, for the {@code rows} rows that start at
     * {@code offset} and follow each other every {@code rowBytes} bytes: the rows one thread
     * takes of a matrix-vector product. Each result must equal {@link #dot} of that row bit for
     * bit; a format overrides this to set up per-call work (scratch space) once per range
     * instead of once per row.
     */
    default void dotRows(MemorySegment data, long offset, long rowBytes, int rows, float[] x, int xOffset, int n,
            float[] out, int outOffset) {
        for (int r = 0; r < rows; r++) {
            out[outOffset + r] = dot(data, offset + r * rowBytes, x, xOffset, n);
        }
    }

    /**
     * Whether {@link #dotRows} spends work looking for infinities and NaNs in the rows (a
     * shortcut of its widening would turn them finite), which {@link #dotFiniteRows} skips for
     * rows that {@link #allFinite} has cleared.
     */
    default boolean looksForNonFinite() {
        return false;
    }

    /**
     * Whether the {@code rows} rows of n values from {@code offset}, every {@code rowBytes}
     * bytes, hold only finite values; asked only of a format that {@link #looksForNonFinite}.
     */
    default boolean allFinite(MemorySegment data, long offset, long rowBytes, int rows, int n) {
        return true;
    }

    /**
     * {@link #dotRows} of rows known to hold only finite values ({@link #allFinite}): the same
     * results, without looking for infinities and NaNs.
     */
    default void dotFiniteRows(MemorySegment data, long offset, long rowBytes, int rows, float[] x, int xOffset, int n,
            float[] out, int outOffset) {
        dotRows(data, offset, rowBytes, rows, x, xOffset, n, out, outOffset);
    }

    /**
     * Fewest tokens for which a format's {@link #dotRowsTokens} widens each block once for two
     * tokens. Below it the tokens go through {@link #dotRows} one by one: in a fresh process the
     * paired kernel is one more method for the JIT to compile, and a prompt of a few tokens waited
     * for it (first token of a cold 1B-shape Q4_0 "Hello", 4 tokens: 2.06-2.47 s one by one,
     * 2.45-2.72 s paired), while warm the pairs gain 15-20% at that length.
     */
    int PAIRS_FROM_TOKENS = 8;

    /**
     * {@link #dotRows} of each of {@code tokens} inputs, x[xOffset + t * n ..] into
     * out[outOffset + t * outApart ..]: the same bits per token. A format overrides this to widen
     * each block of weights once for several tokens (from {@link #PAIRS_FROM_TOKENS}).
     */
    default void dotRowsTokens(MemorySegment data, long offset, long rowBytes, int rows, float[] x, int xOffset,
            int n, int tokens, float[] out, int outOffset, int outApart) {
        for (int t = 0; t < tokens; t++) {
            dotRows(data, offset, rowBytes, rows, x, xOffset + t * n, n, out, outOffset + t * outApart);
        }
    }

    /** {@link #dotRowsTokens} of rows known to hold only finite values, as {@link #dotFiniteRows}. */
    default void dotFiniteRowsTokens(MemorySegment data, long offset, long rowBytes, int rows, float[] x,
            int xOffset, int n, int tokens, float[] out, int outOffset, int outApart) {
        for (int t = 0; t < tokens; t++) {
            dotFiniteRows(data, offset, rowBytes, rows, x, xOffset + t * n, n, out, outOffset + t * outApart);
        }
    }

    /** Writes the n values of the row at {@code offset} to out[outOffset ..]. */
    void dequantize(MemorySegment data, long offset, float[] out, int outOffset, int n);

    /** Encodes src[srcOffset .. +n] into the row at {@code offset} of {@code data}. */
    void quantize(float[] src, int srcOffset, int n, MemorySegment data, long offset);

    /** Bytes taken by a row of n values. */
    default long rowBytes(int n) {
        return type().bytesFor(n);
    }
}
