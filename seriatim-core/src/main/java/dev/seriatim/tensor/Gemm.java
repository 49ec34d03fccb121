package dev.seriatim.tensor;

/**
 * Dense float matrix products for training, on row-major arrays. One kernel serves all three
 * products of a linear layer (forward, gradient of the input, gradient of the weight): it
 * accumulates {@code c[r, :] += sum_p s(r, p) * b[p, :]}, where the left factor {@code s} is read
 * through strides, so a transposed left factor costs nothing; a transposed right factor is
 * copied once by {@link #transpose} (cheap next to the product).
 *
 * <p>The implementation ({@code VectorGemm} or its plain-Java twin {@code ScalarGemm}) is chosen
 * once. Both compute every output element as the same chain of fused multiply-adds over p in
 * increasing order, starting from the old value of c, so they agree bit for bit, and the row
 * split across threads cannot change a result.
 */
public final class Gemm {

    private static final boolean VECTOR = VectorSupport.available();

    private Gemm() {}

    /**
     * c[cOff + r*cols + j] += sum over p < inner of s[sOff + r*sRow + p*sCol] * b[bOff + p*cols + j],
     * for r < rows, j < cols; rows are split across the threads of {@code parallel}.
     */
    public static void accumulate(float[] s, int sOff, int sRow, int sCol, float[] b, int bOff, float[] c, int cOff,
            int rows, int inner, int cols, Parallel parallel) {
        parallel.forRange(rows, (r0, r1) -> accumulateRows(s, sOff, sRow, sCol, b, bOff, c, cOff, r0, r1, inner, cols));
    }

    /** As {@link #accumulate}, all on the calling thread (for callers that parallelise over something else). */
    public static void accumulateSerial(float[] s, int sOff, int sRow, int sCol, float[] b, int bOff, float[] c,
            int cOff, int rows, int inner, int cols) {
        accumulateRows(s, sOff, sRow, sCol, b, bOff, c, cOff, 0, rows, inner, cols);
    }

    /** As {@link #accumulate} for rows [r0, r1) only, on the calling thread. */
    static void accumulateRows(float[] s, int sOff, int sRow, int sCol, float[] b, int bOff, float[] c, int cOff,
            int r0, int r1, int inner, int cols) {
        if (VECTOR) {
            VectorGemm.accumulate(s, sOff, sRow, sCol, b, bOff, c, cOff, r0, r1, inner, cols);
        } else {
            ScalarGemm.accumulate(s, sOff, sRow, sCol, b, bOff, c, cOff, r0, r1, inner, cols);
        }
    }

    /** out[m, n] += x[m, k] * w[n, k] summed over k: a linear layer's forward, y += x w^T. */
    public static void xwT(float[] x, float[] w, float[] out, int m, int k, int n, Parallel parallel) {
        float[] wT = transpose(w, 0, n, k);
        accumulate(x, 0, k, 1, wT, 0, out, 0, m, k, n, parallel);
    }

    /** dx[m, k] += dy[m, n] * w[n, k]: the gradient of a linear layer's input. */
    public static void dyW(float[] dy, float[] w, float[] dx, int m, int n, int k, Parallel parallel) {
        accumulate(dy, 0, n, 1, w, 0, dx, 0, m, n, k, parallel);
    }

    /** dw[n, k] += dy[m, n]^T * x[m, k]: the gradient of a linear layer's weight. */
    public static void dyTx(float[] dy, float[] x, float[] dw, int m, int n, int k, Parallel parallel) {
        // dy^T read through strides: with the kernel's blocking of p this beats copying a transpose
        accumulate(dy, 0, 1, n, x, 0, dw, 0, n, m, k, parallel);
    }

    /** A new [cols, rows] array holding the transpose of the [rows, cols] matrix at a[off]. */
    public static float[] transpose(float[] a, int off, int rows, int cols) {
        float[] t = new float[rows * cols];
        // tiles keep both the reads and the writes within a few cache lines
        final int tile = 32;
        for (int r0 = 0; r0 < rows; r0 += tile) {
            int r1 = Math.min(rows, r0 + tile);
            for (int c0 = 0; c0 < cols; c0 += tile) {
                int c1 = Math.min(cols, c0 + tile);
                for (int r = r0; r < r1; r++) {
                    for (int c = c0; c < c1; c++) {
                        t[c * rows + r] = a[off + r * cols + c];
                    }
                }
            }
        }
        return t;
    }
}
