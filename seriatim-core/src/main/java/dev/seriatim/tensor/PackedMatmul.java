package dev.seriatim.tensor;

import dev.seriatim.quant.BlockFormat;
import java.lang.foreign.MemorySegment;

/**
 * The prefill product out[t, r] = W[r] · x[t] for a batch of tokens, as a blocked matrix
 * product whose inner tile runs at the FMA peak.
 *
 * <p>Layout. The tokens are packed once per call into strips of {@link #STRIP} tokens, each
 * strip p-major ({@code strip[p * width + j] = x[first + j][p]}), so a tile's vector loads walk
 * contiguous memory. Unpacked, consecutive p of one token column sit a whole row of x apart,
 * and a strip walked that way maps every step to the same few L1 sets: the same kernel over
 * strided operands measured at 40% of the packed speed. Weights are dequantized a chunk of
 * rows by {@link #KC} columns at a time into a small per-thread buffer (each weight exactly
 * once per call) and broadcast from there.
 *
 * <p>Loop order, per thread over its own rows: chunks of {@link #CHUNK_ROWS} rows; within a
 * chunk, blocks of KC columns outermost, so the packed tokens of one block (KC x batch floats)
 * stay in L2 while the whole chunk passes over them (the packed tokens are read from L3 once
 * per chunk, so chunks are large: 128 rows measured 4-20% faster prefill than 32); then halves
 * of {@link #KB} columns, {@link #SUB_ROWS} rows, token strips and 8-row groups, so a strip's
 * half stays in L1 across the groups. Partial sums live in a per-thread chunk buffer laid out
 * [row][token] and are written to {@code out} transposed once the chunk is done, or, for a
 * SwiGLU hidden layer, gated and written straight into the packed layout of the next product.
 *
 * <p>Every element is one chain of fused multiply-adds over p in increasing order (blocks are
 * consecutive, sums are stored between them, which rounds nothing), in the vector tiles and in
 * their plain-Java twin alike, so results do not depend on the Vector API or the thread count.
 * They equal a matvec's only up to rounding, since a matvec sums in another order.
 */
public final class PackedMatmul {

    private static final boolean VECTOR = VectorSupport.available();

    /** Tokens per packed strip: two 16-lane vectors; the last strip is {@link #GRAIN} wide when that covers it. */
    static final int STRIP = 32;
    /** Strip widths are multiples of this, which every vector width in use (4, 8, 16 lanes) divides. */
    static final int GRAIN = 16;
    /** Columns per block: a multiple of every block size (32, 256), so a slice dequantizes whole blocks. */
    static final int KC = 256;
    /** Columns per pass of the tiles over a dequantized slice. */
    static final int KB = 128;
    /** Weight rows tiled together. */
    static final int GROUP = 8;
    /** Rows whose partial sums a thread keeps while the blocks of columns go by. */
    static final int CHUNK_ROWS = 128;
    /** Rows of a chunk the tiles take together over one strip: their half slice stays in L1 with the strip's. */
    static final int SUB_ROWS = 32;

    private static final ThreadScratch PACKED = new ThreadScratch();
    private static final ThreadScratch SUMS = new ThreadScratch();
    private static final ThreadScratch UP_SUMS = new ThreadScratch();
    private static final ThreadScratch HIDDEN = new ThreadScratch();
    private static final ThreadScratch WEIGHTS = new ThreadScratch();

    private PackedMatmul() {}

    /**
     * out[t * rows + r] = (row r of the matrix) · x[t * cols ..] for t < tokens, r < rows; the
     * matrix is {@code rows} rows of {@code rowBytes} bytes in {@code format} from byte 0 of
     * {@code data}. Rows are split over {@code parallel} in whole groups.
     */
    public static void multiply(BlockFormat format, MemorySegment data, long rowBytes, int rows, int cols,
                                float[] x, int tokens, float[] out, Parallel parallel) {
        if (tokens == 0 || rows == 0) {
            return;
        }
        multiplyPacked(format, data, rowBytes, rows, cols, pack(x, tokens, cols, parallel), tokens, out, parallel);
    }

    /** As {@link #multiply}, with the tokens already laid out by {@link #pack}. */
    static void multiplyPacked(BlockFormat format, MemorySegment data, long rowBytes, int rows, int cols,
                               float[] packed, int tokens, float[] out, Parallel parallel) {
        multiplyPacked(format, data, rowBytes, rows, 0, cols, packed, tokens, false, null, out, parallel);
    }

    /**
     * out[t * rows + r] += (row r · x[t]) + bias[r] (no bias when null): a projection added
     * straight into the residual stream, which then needs no [tokens, rows] array of its own.
     * Each element is the value the product, then adding the bias, then adding to out would
     * give.
     */
    static void multiplyPackedAdding(BlockFormat format, MemorySegment data, long rowBytes, int rows, int cols,
                                     float[] packed, int tokens, float[] bias, float[] out, Parallel parallel) {
        multiplyPacked(format, data, rowBytes, rows, 0, cols, packed, tokens, true, bias, out, parallel);
    }

    /**
     * As {@link #multiplyPackedAdding} with only columns [colFrom, colFrom + cols) of the matrix,
     * the packed batch holding just those columns: one slice of a wider input, whose slices
     * add up in out. colFrom must fall on a block boundary of the format.
     */
    static void multiplyPackedAdding(BlockFormat format, MemorySegment data, long rowBytes, int rows, int colFrom,
                                     int cols, float[] packed, int tokens, float[] bias, float[] out,
                                     Parallel parallel) {
        multiplyPacked(format, data, rowBytes, rows, colFrom, cols, packed, tokens, true, bias, out, parallel);
    }

    private static void multiplyPacked(BlockFormat format, MemorySegment data, long rowBytes, int rows, int colFrom,
                                       int cols, float[] packed, int tokens, boolean adding, float[] bias,
                                       float[] out, Parallel parallel) {
        if (tokens == 0 || rows == 0) {
            return;
        }
        long colOffset = format.rowBytes(colFrom);
        if (colOffset < 0) {
            throw new IllegalArgumentException("column " + colFrom + " is not on a " + format.type() + " block boundary");
        }
        int sumsStride = sumsStride(paddedTokens(tokens));
        forChunks(rows, parallel, (first, chunkRows) -> {
            float[] sums = SUMS.atLeast(CHUNK_ROWS * sumsStride);
            float[] weights = WEIGHTS.atLeast(CHUNK_ROWS * KC);
            chunkSums(format, data, rowBytes, colOffset, first, chunkRows, cols, packed, tokens, sums, sumsStride,
                    weights);
            if (adding) {
                unpackAdding(sums, sumsStride, chunkRows, bias, out, rows, first, tokens);
            } else {
                unpack(sums, sumsStride, chunkRows, out, rows, first, tokens);
            }
        });
    }

    /** The rows of one chunk: [first, first + chunkRows). */
    @FunctionalInterface
    private interface ChunkBody {
        void run(int first, int chunkRows);
    }

    /** Splits the rows over the threads in whole groups, and each thread's rows into chunks of at most CHUNK_ROWS. */
    private static void forChunks(int rows, Parallel parallel, ChunkBody body) {
        int groups = (rows + GROUP - 1) / GROUP;
        parallel.forRange(groups, (g0, g1) -> {
            int end = Math.min(rows, g1 * GROUP);
            for (int first = g0 * GROUP; first < end; first += CHUNK_ROWS) {
                body.run(first, Math.min(CHUNK_ROWS, end - first));
            }
        });
    }

    /**
     * The SwiGLU hidden layer of a packed batch, silu(gate · x[t]) * (up · x[t]) for each of the
     * {@code rows} rows of the two matrices (same shape, formats may differ), written in
     * {@link #pack}'s layout with {@code rows} columns, ready to be the input of the down
     * projection: hidden[t0 * rows + r * w + j] holds token t0 + j of the strip at t0, width w;
     * padding tokens are zero. Each element is the one {@link #multiplyPacked} gives for each
     * matrix followed by {@link Kernels#swiglu}, so nothing changes but where it lands: the
     * batch's hidden layer never exists row-major (two [tokens, rows] arrays fewer, and no
     * transposition and re-packing of the widest activation of the layer).
     */
    static void swigluPacked(BlockFormat gateFormat, MemorySegment gateData, long gateRowBytes,
                             BlockFormat upFormat, MemorySegment upData, long upRowBytes, int rows, int cols,
                             float[] packed, int tokens, float[] hidden, Parallel parallel) {
        if (tokens == 0 || rows == 0) {
            return;
        }
        int sumsStride = sumsStride(paddedTokens(tokens));
        forChunks(rows, parallel, (first, chunkRows) -> {
            float[] gate = SUMS.atLeast(CHUNK_ROWS * sumsStride);
            float[] up = UP_SUMS.atLeast(CHUNK_ROWS * sumsStride);
            float[] weights = WEIGHTS.atLeast(CHUNK_ROWS * KC);
            chunkSums(gateFormat, gateData, gateRowBytes, 0, first, chunkRows, cols, packed, tokens, gate, sumsStride,
                    weights);
            chunkSums(upFormat, upData, upRowBytes, 0, first, chunkRows, cols, packed, tokens, up, sumsStride, weights);
            for (int i = 0; i < chunkRows; i++) {
                Kernels.swiglu(gate, up, i * sumsStride, tokens);
                // a row of sums is one column of the hidden layer: in each strip its tokens
                // are contiguous, so it goes over as whole runs rather than transposed
                for (int t0 = 0; t0 < tokens; t0 += STRIP) {
                    int width = stripWidth(tokens, t0);
                    int real = Math.min(width, tokens - t0);
                    int at = t0 * rows + (first + i) * width;
                    System.arraycopy(gate, i * sumsStride + t0, hidden, at, real);
                    java.util.Arrays.fill(hidden, at + real, at + width, 0f);
                }
            }
        });
    }

    /**
     * sums[i * sumsStride + t] = row first + i of the matrix · token t, for i < chunkRows and
     * every padded token, in the loop order the class comment gives; the rows' first {@code cols}
     * columns from byte colOffset of each row.
     */
    private static void chunkSums(BlockFormat format, MemorySegment data, long rowBytes, long colOffset, int first,
                                  int chunkRows, int cols, float[] packed, int tokens, float[] sums, int sumsStride,
                                  float[] weights) {
        java.util.Arrays.fill(sums, 0, chunkRows * sumsStride, 0f);
        // the chunk's rows lie one after another: read through first, they stream in from memory,
        // where the slice-by-slice walk below, a jump of a row between short runs, left the
        // prefetchers behind and waited on memory for every row of every slice (1B-shape Q4_0,
        // 32-token prompt: dequantizing was 35% of the time, 11% after this, plus 4% here)
        CacheLines.touchRuns(data, first * rowBytes + colOffset, rowBytes, chunkRows, format.rowBytes(cols));
        for (int p0 = 0; p0 < cols; p0 += KC) {
            int kc = Math.min(KC, cols - p0);
            long sliceOffset = colOffset + format.rowBytes(p0);
            for (int i = 0; i < chunkRows; i++) {
                format.dequantize(data, (first + i) * rowBytes + sliceOffset, weights, i * KC, kc);
            }
            // the tiles walk the slice in halves and 32 rows at a time: those rows' half
            // slice (16 KiB) and half a strip (16 KiB) stay in L1 (48 KiB) together; whole
            // slices, or 64 rows at a time, measured 8-15% slower in prefill
            for (int h = 0; h < kc; h += KB) {
                int kb = Math.min(KB, kc - h);
                for (int sub = 0; sub < chunkRows; sub += SUB_ROWS) {
                    int subEnd = Math.min(chunkRows, sub + SUB_ROWS);
                    for (int t0 = 0; t0 < tokens; t0 += STRIP) {
                        int width = stripWidth(tokens, t0);
                        for (int g = sub; g < subEnd; g += GROUP) {
                            tile(Math.min(GROUP, subEnd - g), weights, g * KC + h, KC, packed,
                                    t0 * cols + (p0 + h) * width, width, width, sums, g * sumsStride + t0,
                                    sumsStride, kb);
                        }
                    }
                }
            }
        }
    }

    /**
     * c[cOff + i * cStride + j] += sum over p < kc of w[wOff + i * wStride + p] * xp[xOff + p * xStride + j]
     * for i < rows, j < width, each element as one fma chain in p order; for a packed strip
     * {@code xStride} is its width.
     */
    static void tile(int rows, float[] w, int wOff, int wStride, float[] xp, int xOff, int xStride, int width,
                     float[] c, int cOff, int cStride, int kc) {
        if (VECTOR) {
            VectorPackedTiles.tile(rows, w, wOff, wStride, xp, xOff, xStride, width, c, cOff, cStride, kc);
        } else {
            ScalarPackedTiles.tile(rows, w, wOff, wStride, xp, xOff, xStride, width, c, cOff, cStride, kc);
        }
    }

    /**
     * {@link #tile} over {@code strips} packed strips of {@link #STRIP} columns, strip s at
     * xp[xOff + s * stripStride] (its stride the strip width) into c[cOff + s * STRIP ..]: the
     * attention scores of queries over the strips of a key cache. The same fma chains as a
     * {@code tile} call per strip, so the same bits; a single row goes two strips at a time.
     */
    static void tileStrips(int rows, float[] w, int wOff, int wStride, float[] xp, int xOff, int stripStride,
                           int strips, float[] c, int cOff, int cStride, int kc) {
        if (VECTOR) {
            VectorPackedTiles.tileStrips(rows, w, wOff, wStride, xp, xOff, stripStride, strips, c, cOff, cStride, kc);
        } else {
            ScalarPackedTiles.tileStrips(rows, w, wOff, wStride, xp, xOff, stripStride, strips, c, cOff, cStride, kc);
        }
    }

    /** Tokens rounded up so that every strip is whole: full strips, then one of GRAIN or STRIP. */
    static int paddedTokens(int tokens) {
        int last = tokens % STRIP;
        return tokens - last + (last == 0 ? 0 : last <= GRAIN ? GRAIN : STRIP);
    }

    /**
     * Floats from one row of a chunk's sums to the next: the padded tokens and one grain more.
     * Rows a power of two apart (512 tokens) map the column of sums that {@link #unpack} reads
     * for one token onto two L1 sets, where its lines evict one another; the extra 64 bytes
     * spread them over all sets. The transposition, 7% of a 512-token prefill before, ran about
     * twice as fast on its own (no counters here to confirm the misses themselves).
     */
    static int sumsStride(int paddedTokens) {
        return paddedTokens + GRAIN;
    }

    /** Width of the strip that starts at token t0. */
    static int stripWidth(int tokens, int t0) {
        return paddedTokens(tokens) - t0 >= STRIP ? STRIP : GRAIN;
    }

    /**
     * The tokens as strips: the strip starting at token t0 with width w occupies
     * [t0 * cols, (t0 + w) * cols) and holds x[t0 + j][p] at t0 * cols + p * w + j; padding
     * tokens are zero.
     */
    static float[] pack(float[] x, int tokens, int cols, Parallel parallel) {
        float[] packed = PACKED.atLeast(paddedTokens(tokens) * cols);
        int strips = (paddedTokens(tokens) + STRIP - 1) / STRIP;
        parallel.forRange(strips, (s0, s1) -> {
            for (int s = s0; s < s1; s++) {
                packStrip(x, 0, cols, tokens, cols, s * STRIP, packed, 0);
            }
        });
        return packed;
    }

    /** The caller thread's buffer for a packed hidden layer of {@code tokens} x {@code cols}, apart from {@link #pack}'s. */
    static float[] hiddenBuffer(int tokens, int cols) {
        return HIDDEN.atLeast(paddedTokens(tokens) * cols);
    }

    /**
     * Packs the strip starting at row t0 of a matrix of {@code count} rows, row t holding
     * src[srcOff + t * rowStride + p] for p < cols, into dst[dstOff + t0 * cols ..] as
     * {@link #pack} lays it out.
     */
    static void packStrip(float[] src, int srcOff, int rowStride, int count, int cols, int t0, float[] dst,
                          int dstOff) {
        int width = stripWidth(count, t0);
        int real = Math.min(width, count - t0);
        // p outer: the writes run contiguously and the reads are `real` streams, one per row
        for (int p = 0, at = dstOff + t0 * cols; p < cols; p++) {
            for (int j = 0, from = srcOff + t0 * rowStride + p; j < real; j++, from += rowStride) {
                dst[at++] = src[from];
            }
            for (int j = real; j < width; j++) {
                dst[at++] = 0f;
            }
        }
    }

    /** As {@link #unpack}, adding each sum (plus bias[first + row] when there is a bias) to out. */
    private static void unpackAdding(float[] sums, int sumsStride, int chunkRows, float[] bias, float[] out, int rows,
                                     int first, int tokens) {
        for (int t = 0; t < tokens; t++) {
            int dst = t * rows + first;
            for (int r = 0, src = t; r < chunkRows; r++, src += sumsStride) {
                float sum = bias == null ? sums[src] : sums[src] + bias[first + r];
                out[dst + r] += sum;
            }
        }
    }

    /** Writes a chunk's sums (laid out [row][token]) to out[t * rows + first + row]. */
    private static void unpack(float[] sums, int sumsStride, int chunkRows, float[] out, int rows, int first,
                               int tokens) {
        for (int t = 0; t < tokens; t++) {
            int dst = t * rows + first;
            for (int r = 0, src = t; r < chunkRows; r++, src += sumsStride) {
                out[dst + r] = sums[src];
            }
        }
    }
}
