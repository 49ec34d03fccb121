package dev.seriatim.tensor;

/**
 * Plain-Java twin of {@code VectorPackedTiles}: the same products, element by element. Each
 * element is one chain of fused multiply-adds over p in increasing order, starting from the old
 * value of c, which is exactly what every lane of the vector tiles computes, so the two agree
 * bit for bit.
 */
final class ScalarPackedTiles {

    private ScalarPackedTiles() {}

    /** See {@link PackedMatmul#tileStrips}. */
    static void tileStrips(int rows, float[] w, int wOff, int wStride, float[] xp, int xOff, int stripStride,
                           int strips, float[] c, int cOff, int cStride, int kc) {
        for (int s = 0; s < strips; s++) {
            tile(rows, w, wOff, wStride, xp, xOff + s * stripStride, PackedMatmul.STRIP, PackedMatmul.STRIP, c,
                    cOff + s * PackedMatmul.STRIP, cStride, kc);
        }
    }

    /** See {@link PackedMatmul#tile}. */
    static void tile(int rows, float[] w, int wOff, int wStride, float[] xp, int xOff, int xStride, int width,
                     float[] c, int cOff, int cStride, int kc) {
        for (int i = 0; i < rows; i++) {
            int wRow = wOff + i * wStride;
            int cRow = cOff + i * cStride;
            for (int j = 0; j < width; j++) {
                float acc = c[cRow + j];
                for (int p = 0, at = xOff + j; p < kc; p++, at += xStride) {
                    acc = Math.fma(w[wRow + p], xp[at], acc);
                }
                c[cRow + j] = acc;
            }
        }
    }
}
