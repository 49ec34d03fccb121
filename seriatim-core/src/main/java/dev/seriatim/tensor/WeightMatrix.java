package dev.seriatim.tensor;

import dev.seriatim.quant.BlockFormat;
import java.lang.foreign.MemorySegment;

/**
 * A rows x cols weight matrix kept in its file encoding (typically a slice of a memory-mapped
 * GGUF file): row r is {@code format.rowBytes(cols)} bytes at byte offset
 * {@code r * rowBytes} of {@code data}.
 *
 * <p>Products are split over rows; each output element is computed by exactly one thread with
 * the same code whatever the thread count, so results do not depend on the {@link Parallel}.
 */
public final class WeightMatrix {

    private static final int PIECES_PER_THREAD = 4;
    /** Most floats of hidden layer a slice of {@link #swigluAdding} should take (1 MiB). */
    static final int HIDDEN_SLICE_FLOATS = 1 << 18;
    /** Hidden slices start at multiples of this: a multiple of every block size (32, 256). */
    public static final int HIDDEN_SLICE_GRAIN = 256;

    private final String name;
    private final BlockFormat format;
    private final MemorySegment data;
    private final int rows;
    private final int cols;
    private final long rowBytes;
    /**
     * For a format that {@link BlockFormat#looksForNonFinite}: {@link #UNCHECKED} until the first
     * product has looked at every row, then {@link #FINITE} (later products take
     * {@link BlockFormat#dotFiniteRows}) or {@link #NOT_FINITE}; {@link #NOT_FINITE} for other formats.
     */
    private volatile byte rowsState;
    private static final byte UNCHECKED = 0;
    private static final byte FINITE = 1;
    private static final byte NOT_FINITE = 2;
    private static final boolean[] NO_FLAG = new boolean[0];

    /**
     * @throws IllegalArgumentException naming the tensor if the shape is not positive, cols is
     *     not a whole number of blocks, or data is too small for rows x cols
     */
    public WeightMatrix(String name, BlockFormat format, MemorySegment data, int rows, int cols) {
        GgmlType type = format.type();
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException(
                    "tensor " + name + ": shape must be positive, got " + rows + " x " + cols);
        }
        if (cols % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor " + name + ": " + cols + " columns is not a multiple of the "
                    + type + " block size " + type.blockSize());
        }
        this.rowBytes = format.rowBytes(cols);
        long needed = rowBytes * rows;
        if (data.byteSize() < needed) {
            throw new IllegalArgumentException("tensor " + name + ": " + rows + " x " + cols + " " + type
                    + " needs " + needed + " bytes but only " + data.byteSize() + " are present");
        }
        this.name = name;
        this.format = format;
        this.data = data;
        this.rows = rows;
        this.cols = cols;
        this.rowsState = format.looksForNonFinite() ? UNCHECKED : NOT_FINITE;
    }

    public String name() {
        return name;
    }

    public BlockFormat format() {
        return format;
    }

    public int rows() {
        return rows;
    }

    /** Bytes of the matrix in its storage format: what one matvec reads. */
    public long byteSize() {
        return rowBytes * rows;
    }

    public int cols() {
        return cols;
    }

    /**
     * out[outOffset + r] = row r · x[xOffset .. xOffset + cols), rows handed to the threads of
     * {@code p} in pieces of about a quarter of a thread's share: each row's result is the
     * same whichever thread computes it, and a thread that loses time to something else on its
     * core takes fewer pieces instead of leaving the others waiting for its fixed half.
     */
    public void matvec(float[] x, int xOffset, float[] out, int outOffset, Parallel p) {
        matvecTokens(x, xOffset, 1, out, outOffset, p);
    }

    /**
     * {@link #matvec} of each of a few tokens, x being tokens x cols and out tokens x rows
     * row-major: out[t * rows + r] holds, bit for bit, what {@code matvec} of x[t] gives. A
     * piece of rows goes through every token before the next piece, so the tokens after the
     * first read its weights from cache rather than memory.
     */
    public void matvecTokens(float[] x, int tokens, float[] out, Parallel p) {
        matvecTokens(x, 0, tokens, out, 0, p);
    }

    private void matvecTokens(float[] x, int xOffset, int tokens, float[] out, int outOffset, Parallel p) {
        checkRange(x, xOffset, (long) tokens * cols, "x");
        checkRange(out, outOffset, (long) tokens * rows, "out");
        byte state = rowsState;
        boolean[] nonFinite = state == UNCHECKED ? new boolean[1] : NO_FLAG;
        p.forPieces(rows, pieceRows(rows, p.threads()), (start, end) ->
                dotRows(state, nonFinite, start, end, x, xOffset, tokens, out, outOffset + start));
        settle(state, nonFinite);
    }

    /**
     * Rows [start, end) of the product of each of {@code tokens} inputs (x[xOffset + t * cols ..])
     * into out[outOffset + t * rows ..], as {@code state} allows. An unchecked matrix's piece
     * first looks at its rows (which leaves them in cache for the product right after), marking
     * nonFinite[0] where one holds an infinity or NaN.
     */
    private void dotRows(byte state, boolean[] nonFinite, int start, int end, float[] x, int xOffset, int tokens,
                         float[] out, int outOffset) {
        long at = start * rowBytes;
        if (state == UNCHECKED && !format.allFinite(data, at, rowBytes, end - start, cols)) {
            nonFinite[0] = true; // a plain write: the pieces' hand-back to the caller publishes it
        }
        if (state == FINITE) {
            format.dotFiniteRowsTokens(data, at, rowBytes, end - start, x, xOffset, cols, tokens, out, outOffset, rows);
        } else {
            format.dotRowsTokens(data, at, rowBytes, end - start, x, xOffset, cols, tokens, out, outOffset, rows);
        }
    }

    /** After a product that looked at every row of an unchecked matrix: what it found. */
    private void settle(byte state, boolean[] nonFinite) {
        if (state == UNCHECKED) {
            rowsState = nonFinite[0] ? NOT_FINITE : FINITE;
        }
    }

    /**
     * {@link #matvec} of one input with several matrices of the same width (a layer's q, k and
     * v, or its gate and up projections) as one parallel call: the pieces of every matrix are
     * handed out from one counter, so a token pays one hand-off to the workers and one wait at
     * the end instead of one per matrix. out[i] receives matrices[i]'s product, the same values
     * {@code matvec} gives.
     */
    public static void matvecSharedInput(float[] x, int xOffset, WeightMatrix[] matrices, float[][] out, Parallel p) {
        matvecSharedInput(x, xOffset, 1, matrices, out, p);
    }

    /**
     * {@link #matvecSharedInput} of each of a few tokens, as {@link #matvecTokens} takes them:
     * x holds tokens rows of the shared width, out[i] tokens rows of matrices[i]'s.
     */
    public static void matvecSharedInputTokens(float[] x, int tokens, WeightMatrix[] matrices, float[][] out,
                                               Parallel p) {
        matvecSharedInput(x, 0, tokens, matrices, out, p);
    }

    private static void matvecSharedInput(float[] x, int xOffset, int tokens, WeightMatrix[] matrices, float[][] out,
                                          Parallel p) {
        if (matrices.length != out.length) {
            throw new IllegalArgumentException(matrices.length + " matrices but " + out.length + " outputs");
        }
        int[] firstPiece = new int[matrices.length + 1];
        int[] pieceRows = new int[matrices.length];
        byte[] states = new byte[matrices.length];
        boolean[][] nonFinite = new boolean[matrices.length][];
        for (int i = 0; i < matrices.length; i++) {
            WeightMatrix m = matrices[i];
            if (m.cols != matrices[0].cols) {
                throw new IllegalArgumentException("tensor " + m.name + ": " + m.cols + " columns, " + matrices[0].name
                        + " has " + matrices[0].cols);
            }
            m.checkRange(x, xOffset, (long) tokens * m.cols, "x");
            m.checkRange(out[i], 0, (long) tokens * m.rows, "out");
            pieceRows[i] = pieceRows(m.rows, p.threads());
            states[i] = m.rowsState;
            nonFinite[i] = states[i] == UNCHECKED ? new boolean[1] : NO_FLAG;
            firstPiece[i + 1] = firstPiece[i] + (m.rows + pieceRows[i] - 1) / pieceRows[i];
        }
        p.forPieces(firstPiece[matrices.length], 1, (start, end) -> {
            for (int piece = start, i = 0; piece < end; piece++) {
                while (piece >= firstPiece[i + 1]) {
                    i++;
                }
                WeightMatrix m = matrices[i];
                int r0 = (piece - firstPiece[i]) * pieceRows[i];
                int r1 = Math.min(m.rows, r0 + pieceRows[i]);
                m.dotRows(states[i], nonFinite[i], r0, r1, x, xOffset, tokens, out[i], r0);
            }
        });
        for (int i = 0; i < matrices.length; i++) {
            matrices[i].settle(states[i], nonFinite[i]);
        }
    }

    /** Rows per matvec piece: four pieces per thread, in whole multiples of 16 rows. */
    static int pieceRows(int rows, int threads) {
        int pieces = PIECES_PER_THREAD * threads;
        return Math.max(16, (rows + pieces * 16 - 1) / (pieces * 16) * 16);
    }

    /**
     * Product with a batch of tokens (prefill): x is tokens x cols row-major and
     * out[t * rows + r] = row r · x[t], as a blocked matrix product ({@link PackedMatmul}) that
     * dequantizes each weight once per call. Results equal {@link #matvec} per token up to
     * float rounding (the two sum in different orders).
     */
    public void matmul(float[] x, int tokens, float[] out, Parallel p) {
        checkRange(x, 0, (long) tokens * cols, "x");
        checkRange(out, 0, (long) tokens * rows, "out");
        PackedMatmul.multiply(format, data, rowBytes, rows, cols, x, tokens, out, p);
    }

    /**
     * {@link #matmul} of one input with several matrices of the same width (a layer's q, k and
     * v, or its gate and up projections): out[i] receives matrices[i]'s product. The tokens
     * are packed once for all of them; each result is the one {@code matmul} gives.
     */
    public static void matmulSharedInput(float[] x, int tokens, WeightMatrix[] matrices, float[][] out, Parallel p) {
        if (matrices.length != out.length) {
            throw new IllegalArgumentException(matrices.length + " matrices but " + out.length + " outputs");
        }
        int cols = matrices[0].cols;
        for (int i = 0; i < matrices.length; i++) {
            WeightMatrix m = matrices[i];
            if (m.cols != cols) {
                throw new IllegalArgumentException("tensor " + m.name + ": " + m.cols + " columns, " + matrices[0].name
                        + " has " + cols);
            }
            m.checkRange(out[i], 0, (long) tokens * m.rows, "out");
        }
        matrices[0].checkRange(x, 0, (long) tokens * cols, "x");
        if (tokens == 0) {
            return;
        }
        float[] packed = PackedMatmul.pack(x, tokens, cols, p);
        for (int i = 0; i < matrices.length; i++) {
            WeightMatrix m = matrices[i];
            PackedMatmul.multiplyPacked(m.format, m.data, m.rowBytes, m.rows, cols, packed, tokens, out[i], p);
        }
    }

    /**
     * The SwiGLU hidden layer of a batch, silu(gate · x[t]) * (up · x[t]), as the packed input of
     * the down projection ({@link #matmul(PackedBatch, float[], Parallel)}): per element the
     * value that {@link #matmulSharedInput} and {@link Kernels#swiglu} give, without the two
     * [tokens, rows] arrays in between.
     */
    public static PackedBatch swiglu(float[] x, int tokens, WeightMatrix gate, WeightMatrix up, Parallel p) {
        checkSwiglu(gate, up);
        gate.checkRange(x, 0, (long) tokens * gate.cols, "x");
        float[] hidden = PackedMatmul.hiddenBuffer(tokens, gate.rows);
        if (tokens > 0) {
            float[] packed = PackedMatmul.pack(x, tokens, gate.cols, p);
            PackedMatmul.swigluPacked(gate.format, gate.data, gate.rowBytes, up.format, up.data, up.rowBytes, gate.rows,
                    gate.cols, packed, tokens, hidden, p);
        }
        return new PackedBatch(hidden, tokens, gate.rows);
    }

    /**
     * The SwiGLU feed-forward layer of a batch added into the residual stream in place:
     * out[t] += down · (silu(gate · x[t]) * (up · x[t])) + bias (no bias when null). The hidden
     * layer, the widest activation of a layer, is made and consumed {@code slice} columns at a
     * time: the slice's gate and up rows give that slice of the hidden layer packed, and the same
     * columns of the down projection add their share into out, so no more than one slice of the
     * hidden layer ever exists. Each weight is still read once per call. Per slice, the values
     * are those {@link #swiglu} and {@link #matmulAdding(PackedBatch, float[], float[], Parallel)}
     * give for those rows and columns alone, the bias going with the first; with more than one
     * slice the result therefore differs from the one-slice sum by float rounding. A caller
     * keeps {@code slice} fixed for a model ({@link #hiddenSliceColumns} of the most tokens a
     * call will have), so that a token's result depends neither on the thread count nor on how
     * many tokens share its call.
     *
     * @param slice hidden columns per slice: a multiple of {@link #HIDDEN_SLICE_GRAIN}, or at
     *     least the whole hidden width
     */
    public static void swigluAdding(float[] x, int tokens, WeightMatrix gate, WeightMatrix up, WeightMatrix down,
                                    float[] bias, float[] out, int slice, Parallel p) {
        checkSwiglu(gate, up);
        if (down.cols != gate.rows) {
            throw new IllegalArgumentException("tensor " + down.name + " has " + down.cols + " columns, "
                    + gate.name + " has " + gate.rows + " rows");
        }
        if (slice <= 0 || slice % HIDDEN_SLICE_GRAIN != 0 && slice < gate.rows) {
            throw new IllegalArgumentException("hidden slices of " + slice + " columns do not start on whole blocks");
        }
        gate.checkRange(x, 0, (long) tokens * gate.cols, "x");
        down.checkAdding(tokens, bias, out);
        if (tokens == 0) {
            return;
        }
        float[] packed = PackedMatmul.pack(x, tokens, gate.cols, p);
        for (int c0 = 0; c0 < gate.rows; c0 += slice) {
            int width = Math.min(slice, gate.rows - c0);
            float[] hidden = PackedMatmul.hiddenBuffer(tokens, width);
            PackedMatmul.swigluPacked(gate.format, gate.data.asSlice(c0 * gate.rowBytes), gate.rowBytes, up.format,
                    up.data.asSlice(c0 * up.rowBytes), up.rowBytes, width, gate.cols, packed, tokens, hidden, p);
            PackedMatmul.multiplyPackedAdding(down.format, down.data, down.rowBytes, down.rows, c0, width, hidden,
                    tokens, c0 == 0 ? bias : null, out, p);
        }
    }

    /**
     * Hidden columns per slice of {@link #swigluAdding} for batches of up to {@code tokens}
     * tokens: the whole layer while such a batch of it fits in {@link #HIDDEN_SLICE_FLOATS},
     * otherwise as few slices as fit, in whole multiples of {@link #HIDDEN_SLICE_GRAIN} (at least
     * one grain, so past 1,024 tokens a slice outgrows the budget) and as equal as that allows. A
     * 128-token batch of a Llama-3.2-1B layer (8,192 wide) goes in four slices: 1 MiB of hidden
     * layer instead of 4.
     */
    public static int hiddenSliceColumns(int tokens, int hidden) {
        long padded = PackedMatmul.paddedTokens(tokens);
        if (padded * hidden <= HIDDEN_SLICE_FLOATS) {
            return hidden;
        }
        long widest = Math.max(HIDDEN_SLICE_GRAIN, HIDDEN_SLICE_FLOATS / padded / HIDDEN_SLICE_GRAIN * HIDDEN_SLICE_GRAIN);
        long slices = (hidden + widest - 1) / widest;
        long even = (hidden + slices - 1) / slices;
        return (int) ((even + HIDDEN_SLICE_GRAIN - 1) / HIDDEN_SLICE_GRAIN * HIDDEN_SLICE_GRAIN);
    }

    private static void checkSwiglu(WeightMatrix gate, WeightMatrix up) {
        if (gate.rows != up.rows || gate.cols != up.cols) {
            throw new IllegalArgumentException("tensor " + gate.name + " is " + gate.rows + " x " + gate.cols + ", "
                    + up.name + " is " + up.rows + " x " + up.cols);
        }
    }

    /** {@link #matmul(float[], int, float[], Parallel)} of a batch that is already packed. */
    public void matmul(PackedBatch in, float[] out, Parallel p) {
        checkPacked(in, out, null);
        PackedMatmul.multiplyPacked(format, data, rowBytes, rows, cols, in.data(), in.tokens(), out, p);
    }

    /**
     * out[t * rows + r] += (row r · x[t]) + bias[r] for a batch (bias may be null): a projection
     * added into the residual stream in place. Each element equals {@link #matmul} followed by
     * adding the bias and then adding the result to out, bit for bit.
     */
    public void matmulAdding(float[] x, int tokens, float[] bias, float[] out, Parallel p) {
        checkRange(x, 0, (long) tokens * cols, "x");
        checkAdding(tokens, bias, out);
        if (tokens > 0) {
            PackedMatmul.multiplyPackedAdding(format, data, rowBytes, rows, cols, PackedMatmul.pack(x, tokens, cols, p),
                    tokens, bias, out, p);
        }
    }

    /** {@link #matmulAdding(float[], int, float[], float[], Parallel)} of a batch that is already packed. */
    public void matmulAdding(PackedBatch in, float[] bias, float[] out, Parallel p) {
        checkPacked(in, out, bias);
        PackedMatmul.multiplyPackedAdding(format, data, rowBytes, rows, cols, in.data(), in.tokens(), bias, out, p);
    }

    private void checkPacked(PackedBatch in, float[] out, float[] bias) {
        if (in.cols() != cols) {
            throw new IllegalArgumentException("tensor " + name + ": " + cols + " columns, the batch has " + in.cols());
        }
        checkAdding(in.tokens(), bias, out);
    }

    private void checkAdding(int tokens, float[] bias, float[] out) {
        checkRange(out, 0, (long) tokens * rows, "out");
        if (bias != null && bias.length != rows) {
            throw new IllegalArgumentException("tensor " + name + ": " + rows + " rows, the bias has " + bias.length);
        }
    }

    /** Decodes row r into out[outOffset .. outOffset + cols) (embedding lookup). */
    public void row(int r, float[] out, int outOffset) {
        if (r < 0 || r >= rows) {
            throw new IndexOutOfBoundsException("tensor " + name + ": row " + r + " outside 0.." + (rows - 1));
        }
        checkRange(out, outOffset, cols, "out");
        format.dequantize(data, r * rowBytes, out, outOffset, cols);
    }

    @Override
    public String toString() {
        return "WeightMatrix[" + name + " " + format.type() + " " + rows + "x" + cols + "]";
    }

    private void checkRange(float[] array, int offset, long length, String what) {
        if (offset < 0 || offset + length > array.length) {
            throw new IndexOutOfBoundsException("tensor " + name + ": " + what + " needs " + length
                    + " floats from offset " + offset + " but has length " + array.length);
        }
    }
}
