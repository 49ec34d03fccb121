package dev.seriatim.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API version of {@link Gemm#accumulate}. The register tile is 8 rows of c by 2 vectors
 * of columns (16 accumulators; 4-row and 1-row tiles take the remainder): per step of p it
 * loads 2 vectors of b and broadcasts 8 values of s for 16 fused multiply-adds, which measured
 * up to twice as fast as a 4-row tile on AVX-512. Column strips are the outer loop so that the strip of b being
 * walked stays in cache for every row tile of the thread's range. Load only when
 * {@link VectorSupport#available()}.
 */
final class VectorGemm {

    private static final VectorSpecies<Float> F = VectorLanes.FLOAT;
    private static final int LANES = F.length();
    private static final int STRIP = 2 * LANES;

    private VectorGemm() {}

    /** Inner-dimension block: the strip of b for one block (KC x STRIP floats) stays in L1/L2 across row tiles. */
    private static final int KC = 256;

    static void accumulate(float[] s, int sOff, int sRow, int sCol, float[] b, int bOff, float[] c, int cOff,
            int r0, int r1, int inner, int cols) {
        // blocks of p in increasing order: each element is still one fma chain over p = 0, 1, ...
        // (c is stored between blocks, which rounds nothing), so the result equals the scalar twin's
        for (int p0 = 0; p0 < inner; p0 += KC) {
            int kc = Math.min(KC, inner - p0);
            accumulateBlock(s, sOff + p0 * sCol, sRow, sCol, b, bOff + p0 * cols, c, cOff, r0, r1, kc, cols);
        }
    }

    private static void accumulateBlock(float[] s, int sOff, int sRow, int sCol, float[] b, int bOff, float[] c,
            int cOff, int r0, int r1, int inner, int cols) {
        int j = 0;
        for (; j + STRIP <= cols; j += STRIP) {
            int r = r0;
            for (; r + 8 <= r1; r += 8) {
                tile8x2(s, sOff, sRow, sCol, b, bOff, c, cOff, r, j, inner, cols);
            }
            for (; r + 4 <= r1; r += 4) {
                tile4x2(s, sOff, sRow, sCol, b, bOff, c, cOff, r, j, inner, cols);
            }
            for (; r < r1; r++) {
                tile1x2(s, sOff + r * sRow, sCol, b, bOff, c, cOff + r * cols, j, inner, cols);
            }
        }
        for (; j + LANES <= cols; j += LANES) {
            for (int r = r0; r < r1; r++) {
                tile1x1(s, sOff + r * sRow, sCol, b, bOff, c, cOff + r * cols, j, inner, cols);
            }
        }
        if (j < cols) {
            ScalarGemm.accumulateColumns(s, sOff, sRow, sCol, b, bOff, c, cOff, r0, r1, inner, cols, j);
        }
    }

    private static void tile8x2(float[] s, int sOff, int sRow, int sCol, float[] b, int bOff, float[] c, int cOff,
            int r, int j, int inner, int cols) {
        int c0 = cOff + r * cols + j;
        FloatVector a00 = FloatVector.fromArray(F, c, c0 + 0 * cols);
        FloatVector a01 = FloatVector.fromArray(F, c, c0 + 0 * cols + LANES);
        FloatVector a10 = FloatVector.fromArray(F, c, c0 + 1 * cols);
        FloatVector a11 = FloatVector.fromArray(F, c, c0 + 1 * cols + LANES);
        FloatVector a20 = FloatVector.fromArray(F, c, c0 + 2 * cols);
        FloatVector a21 = FloatVector.fromArray(F, c, c0 + 2 * cols + LANES);
        FloatVector a30 = FloatVector.fromArray(F, c, c0 + 3 * cols);
        FloatVector a31 = FloatVector.fromArray(F, c, c0 + 3 * cols + LANES);
        FloatVector a40 = FloatVector.fromArray(F, c, c0 + 4 * cols);
        FloatVector a41 = FloatVector.fromArray(F, c, c0 + 4 * cols + LANES);
        FloatVector a50 = FloatVector.fromArray(F, c, c0 + 5 * cols);
        FloatVector a51 = FloatVector.fromArray(F, c, c0 + 5 * cols + LANES);
        FloatVector a60 = FloatVector.fromArray(F, c, c0 + 6 * cols);
        FloatVector a61 = FloatVector.fromArray(F, c, c0 + 6 * cols + LANES);
        FloatVector a70 = FloatVector.fromArray(F, c, c0 + 7 * cols);
        FloatVector a71 = FloatVector.fromArray(F, c, c0 + 7 * cols + LANES);
        int s0 = sOff + r * sRow;
        int bAt = bOff + j;
        for (int p = 0; p < inner; p++, s0 += sCol, bAt += cols) {
            FloatVector b0 = FloatVector.fromArray(F, b, bAt);
            FloatVector b1 = FloatVector.fromArray(F, b, bAt + LANES);
            FloatVector x0 = FloatVector.broadcast(F, s[s0 + 0 * sRow]);
            a00 = x0.fma(b0, a00);
            a01 = x0.fma(b1, a01);
            FloatVector x1 = FloatVector.broadcast(F, s[s0 + 1 * sRow]);
            a10 = x1.fma(b0, a10);
            a11 = x1.fma(b1, a11);
            FloatVector x2 = FloatVector.broadcast(F, s[s0 + 2 * sRow]);
            a20 = x2.fma(b0, a20);
            a21 = x2.fma(b1, a21);
            FloatVector x3 = FloatVector.broadcast(F, s[s0 + 3 * sRow]);
            a30 = x3.fma(b0, a30);
            a31 = x3.fma(b1, a31);
            FloatVector x4 = FloatVector.broadcast(F, s[s0 + 4 * sRow]);
            a40 = x4.fma(b0, a40);
            a41 = x4.fma(b1, a41);
            FloatVector x5 = FloatVector.broadcast(F, s[s0 + 5 * sRow]);
            a50 = x5.fma(b0, a50);
            a51 = x5.fma(b1, a51);
            FloatVector x6 = FloatVector.broadcast(F, s[s0 + 6 * sRow]);
            a60 = x6.fma(b0, a60);
            a61 = x6.fma(b1, a61);
            FloatVector x7 = FloatVector.broadcast(F, s[s0 + 7 * sRow]);
            a70 = x7.fma(b0, a70);
            a71 = x7.fma(b1, a71);
        }
        a00.intoArray(c, c0 + 0 * cols);
        a01.intoArray(c, c0 + 0 * cols + LANES);
        a10.intoArray(c, c0 + 1 * cols);
        a11.intoArray(c, c0 + 1 * cols + LANES);
        a20.intoArray(c, c0 + 2 * cols);
        a21.intoArray(c, c0 + 2 * cols + LANES);
        a30.intoArray(c, c0 + 3 * cols);
        a31.intoArray(c, c0 + 3 * cols + LANES);
        a40.intoArray(c, c0 + 4 * cols);
        a41.intoArray(c, c0 + 4 * cols + LANES);
        a50.intoArray(c, c0 + 5 * cols);
        a51.intoArray(c, c0 + 5 * cols + LANES);
        a60.intoArray(c, c0 + 6 * cols);
        a61.intoArray(c, c0 + 6 * cols + LANES);
        a70.intoArray(c, c0 + 7 * cols);
        a71.intoArray(c, c0 + 7 * cols + LANES);
    }

    private static void tile4x2(float[] s, int sOff, int sRow, int sCol, float[] b, int bOff, float[] c, int cOff,
            int r, int j, int inner, int cols) {
        int c0 = cOff + r * cols + j;
        int c1 = c0 + cols;
        int c2 = c1 + cols;
        int c3 = c2 + cols;
        FloatVector a00 = FloatVector.fromArray(F, c, c0);
        FloatVector a01 = FloatVector.fromArray(F, c, c0 + LANES);
        FloatVector a10 = FloatVector.fromArray(F, c, c1);
        FloatVector a11 = FloatVector.fromArray(F, c, c1 + LANES);
        FloatVector a20 = FloatVector.fromArray(F, c, c2);
        FloatVector a21 = FloatVector.fromArray(F, c, c2 + LANES);
        FloatVector a30 = FloatVector.fromArray(F, c, c3);
        FloatVector a31 = FloatVector.fromArray(F, c, c3 + LANES);
        int s0 = sOff + r * sRow;
        int bAt = bOff + j;
        for (int p = 0; p < inner; p++, s0 += sCol, bAt += cols) {
            FloatVector b0 = FloatVector.fromArray(F, b, bAt);
            FloatVector b1 = FloatVector.fromArray(F, b, bAt + LANES);
            FloatVector x0 = FloatVector.broadcast(F, s[s0]);
            FloatVector x1 = FloatVector.broadcast(F, s[s0 + sRow]);
            FloatVector x2 = FloatVector.broadcast(F, s[s0 + 2 * sRow]);
            FloatVector x3 = FloatVector.broadcast(F, s[s0 + 3 * sRow]);
            a00 = x0.fma(b0, a00);
            a01 = x0.fma(b1, a01);
            a10 = x1.fma(b0, a10);
            a11 = x1.fma(b1, a11);
            a20 = x2.fma(b0, a20);
            a21 = x2.fma(b1, a21);
            a30 = x3.fma(b0, a30);
            a31 = x3.fma(b1, a31);
        }
        a00.intoArray(c, c0);
        a01.intoArray(c, c0 + LANES);
        a10.intoArray(c, c1);
        a11.intoArray(c, c1 + LANES);
        a20.intoArray(c, c2);
        a21.intoArray(c, c2 + LANES);
        a30.intoArray(c, c3);
        a31.intoArray(c, c3 + LANES);
    }

    private static void tile1x2(float[] s, int sAt, int sCol, float[] b, int bOff, float[] c, int cRow, int j,
            int inner, int cols) {
        FloatVector a0 = FloatVector.fromArray(F, c, cRow + j);
        FloatVector a1 = FloatVector.fromArray(F, c, cRow + j + LANES);
        int bAt = bOff + j;
        for (int p = 0; p < inner; p++, sAt += sCol, bAt += cols) {
            FloatVector x = FloatVector.broadcast(F, s[sAt]);
            a0 = x.fma(FloatVector.fromArray(F, b, bAt), a0);
            a1 = x.fma(FloatVector.fromArray(F, b, bAt + LANES), a1);
        }
        a0.intoArray(c, cRow + j);
        a1.intoArray(c, cRow + j + LANES);
    }

    private static void tile1x1(float[] s, int sAt, int sCol, float[] b, int bOff, float[] c, int cRow, int j,
            int inner, int cols) {
        FloatVector a0 = FloatVector.fromArray(F, c, cRow + j);
        int bAt = bOff + j;
        for (int p = 0; p < inner; p++, sAt += sCol, bAt += cols) {
            a0 = FloatVector.broadcast(F, s[sAt]).fma(FloatVector.fromArray(F, b, bAt), a0);
        }
        a0.intoArray(c, cRow + j);
    }
}
