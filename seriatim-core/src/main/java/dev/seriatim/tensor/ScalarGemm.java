package dev.seriatim.tensor;

/** Plain-Java twin of {@link VectorGemm}: the same fused multiply-add chains, one element at a time. */
final class ScalarGemm {

    private ScalarGemm() {}

    static void accumulate(float[] s, int sOff, int sRow, int sCol, float[] b, int bOff, float[] c, int cOff,
            int r0, int r1, int inner, int cols) {
        accumulateColumns(s, sOff, sRow, sCol, b, bOff, c, cOff, r0, r1, inner, cols, 0);
    }

    /** As {@link #accumulate} for the columns from {@code firstColumn} on (the vector kernel's tail). */
    static void accumulateColumns(float[] s, int sOff, int sRow, int sCol, float[] b, int bOff, float[] c, int cOff,
            int r0, int r1, int inner, int cols, int firstColumn) {
        for (int r = r0; r < r1; r++) {
            int sBase = sOff + r * sRow;
            int cBase = cOff + r * cols;
            for (int j = firstColumn; j < cols; j++) {
                float acc = c[cBase + j];
                for (int p = 0; p < inner; p++) {
                    acc = Math.fma(s[sBase + p * sCol], b[bOff + p * cols + j], acc);
                }
                c[cBase + j] = acc;
            }
        }
    }
}
