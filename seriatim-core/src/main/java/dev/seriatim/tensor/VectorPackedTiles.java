package dev.seriatim.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register tiles of the prefill product ({@link PackedMatmul#tile}): up to 8 weight rows by one
 * or two vectors of packed tokens. Per step of p a tile loads one or two vectors of the token
 * strip (contiguous, because the strip is packed p-major) and broadcasts one weight per row, so
 * 8 rows x 2 vectors do 16 fused multiply-adds for 2 vector loads and 8 scalar loads; with the
 * strip and the weight slice in L1 this runs at the machine's FMA peak on AVX-512. Where vectors
 * are narrower than 16 lanes (AVX2 has 16 registers, not 32) the 8-row tile would spill, so rows
 * go four at a time. Load only when {@link VectorSupport#available()}.
 */
final class VectorPackedTiles {

    private static final VectorSpecies<Float> F = VectorLanes.FLOAT;
    private static final int LANES = F.length();
    private static final int TALL = LANES >= 16 ? 8 : 4;

    private VectorPackedTiles() {}

    /**
     * See {@link PackedMatmul#tile}. Columns past the last whole vector go to the plain-Java
     * twin, whose chains are the same.
     */
    static void tile(int rows, float[] w, int wOff, int wStride, float[] xp, int xOff, int xStride, int width,
                     float[] c, int cOff, int cStride, int kc) {
        int whole = width - width % LANES;
        if (whole < width) {
            ScalarPackedTiles.tile(rows, w, wOff, wStride, xp, xOff + whole, xStride, width - whole, c, cOff + whole,
                    cStride, kc);
            if (whole == 0) {
                return;
            }
            width = whole;
        }
        int i = 0;
        boolean packedWeights = TALL == 8 && wStride == PackedMatmul.KC && xStride == 2 * LANES;
        for (; i + TALL <= rows; i += TALL) {
            int wi = wOff + i * wStride;
            int ci = cOff + i * cStride;
            int j = 0;
            for (; j + 2 * LANES <= width; j += 2 * LANES) {
                if (packedWeights) {
                    rows8x2Slice(w, wi, xp, xOff + j, c, ci + j, cStride, kc);
                } else if (TALL == 8) {
                    rows8x2(w, wi, wStride, xp, xOff + j, xStride, c, ci + j, cStride, kc);
                } else {
                    rows4x2(w, wi, wStride, xp, xOff + j, xStride, c, ci + j, cStride, kc);
                }
            }
            for (; j < width; j += LANES) {
                if (TALL == 8) {
                    rows8x1(w, wi, wStride, xp, xOff + j, xStride, c, ci + j, cStride, kc);
                } else {
                    rows4x1(w, wi, wStride, xp, xOff + j, xStride, c, ci + j, cStride, kc);
                }
            }
        }
        for (; i + 4 <= rows; i += 4) {
            int wi = wOff + i * wStride;
            int ci = cOff + i * cStride;
            int j = 0;
            for (; j + 2 * LANES <= width; j += 2 * LANES) {
                rows4x2(w, wi, wStride, xp, xOff + j, xStride, c, ci + j, cStride, kc);
            }
            for (; j < width; j += LANES) {
                rows4x1(w, wi, wStride, xp, xOff + j, xStride, c, ci + j, cStride, kc);
            }
        }
        for (; i < rows; i++) {
            int wi = wOff + i * wStride;
            int ci = cOff + i * cStride;
            int j = 0;
            for (; j + 4 * LANES <= width; j += 4 * LANES) {
                rows1x4(w, wi, wStride, xp, xOff + j, xStride, c, ci + j, cStride, kc);
            }
            for (; j + 2 * LANES <= width; j += 2 * LANES) {
                rows1x2(w, wi, wStride, xp, xOff + j, xStride, c, ci + j, cStride, kc);
            }
            for (; j < width; j += LANES) {
                rows1x1(w, wi, wStride, xp, xOff + j, xStride, c, ci + j, cStride, kc);
            }
        }
    }

    /**
     * See {@link PackedMatmul#tileStrips}. One row against strips of two vectors goes two strips
     * at a time ({@link #rows1x2x2}): a single query's scores over the key strips.
     */
    static void tileStrips(int rows, float[] w, int wOff, int wStride, float[] xp, int xOff, int stripStride,
                           int strips, float[] c, int cOff, int cStride, int kc) {
        int s = 0;
        if (rows == 1 && PackedMatmul.STRIP == 2 * LANES) {
            for (; s + 2 <= strips; s += 2) {
                rows1x2x2(w, wOff, xp, xOff + s * stripStride, xOff + (s + 1) * stripStride, PackedMatmul.STRIP, c,
                        cOff + s * PackedMatmul.STRIP, kc);
            }
        }
        for (; s < strips; s++) {
            tile(rows, w, wOff, wStride, xp, xOff + s * stripStride, PackedMatmul.STRIP, PackedMatmul.STRIP, c,
                    cOff + s * PackedMatmul.STRIP, cStride, kc);
        }
    }

    private static void rows8x2(float[] w, int wOff, int wStride, float[] xp, int xOff, int xStride,
                                float[] c, int cOff, int cStride, int kc) {
        FloatVector c00 = FloatVector.fromArray(F, c, cOff);
        FloatVector c01 = FloatVector.fromArray(F, c, cOff + 1 * LANES);
        FloatVector c10 = FloatVector.fromArray(F, c, cOff + 1 * cStride);
        FloatVector c11 = FloatVector.fromArray(F, c, cOff + 1 * cStride + 1 * LANES);
        FloatVector c20 = FloatVector.fromArray(F, c, cOff + 2 * cStride);
        FloatVector c21 = FloatVector.fromArray(F, c, cOff + 2 * cStride + 1 * LANES);
        FloatVector c30 = FloatVector.fromArray(F, c, cOff + 3 * cStride);
        FloatVector c31 = FloatVector.fromArray(F, c, cOff + 3 * cStride + 1 * LANES);
        FloatVector c40 = FloatVector.fromArray(F, c, cOff + 4 * cStride);
        FloatVector c41 = FloatVector.fromArray(F, c, cOff + 4 * cStride + 1 * LANES);
        FloatVector c50 = FloatVector.fromArray(F, c, cOff + 5 * cStride);
        FloatVector c51 = FloatVector.fromArray(F, c, cOff + 5 * cStride + 1 * LANES);
        FloatVector c60 = FloatVector.fromArray(F, c, cOff + 6 * cStride);
        FloatVector c61 = FloatVector.fromArray(F, c, cOff + 6 * cStride + 1 * LANES);
        FloatVector c70 = FloatVector.fromArray(F, c, cOff + 7 * cStride);
        FloatVector c71 = FloatVector.fromArray(F, c, cOff + 7 * cStride + 1 * LANES);
        int w0 = wOff;
        int w1 = wOff + 1 * wStride;
        int w2 = wOff + 2 * wStride;
        int w3 = wOff + 3 * wStride;
        int w4 = wOff + 4 * wStride;
        int w5 = wOff + 5 * wStride;
        int w6 = wOff + 6 * wStride;
        int w7 = wOff + 7 * wStride;
        for (int p = 0, at = xOff; p < kc; p++, at += xStride) {
            FloatVector b0 = FloatVector.fromArray(F, xp, at);
            FloatVector b1 = FloatVector.fromArray(F, xp, at + 1 * LANES);
            FloatVector a0 = FloatVector.broadcast(F, w[w0 + p]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, w[w1 + p]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, w[w2 + p]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, w[w3 + p]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(F, w[w4 + p]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(F, w[w5 + p]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(F, w[w6 + p]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(F, w[w7 + p]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + 1 * LANES);
        c10.intoArray(c, cOff + 1 * cStride);
        c11.intoArray(c, cOff + 1 * cStride + 1 * LANES);
        c20.intoArray(c, cOff + 2 * cStride);
        c21.intoArray(c, cOff + 2 * cStride + 1 * LANES);
        c30.intoArray(c, cOff + 3 * cStride);
        c31.intoArray(c, cOff + 3 * cStride + 1 * LANES);
        c40.intoArray(c, cOff + 4 * cStride);
        c41.intoArray(c, cOff + 4 * cStride + 1 * LANES);
        c50.intoArray(c, cOff + 5 * cStride);
        c51.intoArray(c, cOff + 5 * cStride + 1 * LANES);
        c60.intoArray(c, cOff + 6 * cStride);
        c61.intoArray(c, cOff + 6 * cStride + 1 * LANES);
        c70.intoArray(c, cOff + 7 * cStride);
        c71.intoArray(c, cOff + 7 * cStride + 1 * LANES);
    }

    /**
     * {@link #rows8x2} for operands with the prefill product's strides: a weight slice of
     * {@link PackedMatmul#KC} floats per row and a strip of two vectors per step (attention
     * takes it too when its dimensions happen to give those strides). With both
     * strides constant, the eight weight rows are one index plus fixed displacements and the
     * strip index a constant multiple of p, so the loop needs no row base registers and no range
     * checks (the general form spills its eight row bases and checks every strip load); the
     * chains, and so the results, are the same.
     */
    private static void rows8x2Slice(float[] w, int wOff, float[] xp, int xOff, float[] c, int cOff, int cStride,
                                     int kc) {
        final int ws = PackedMatmul.KC;
        final int xs = 2 * LANES;
        FloatVector c00 = FloatVector.fromArray(F, c, cOff);
        FloatVector c01 = FloatVector.fromArray(F, c, cOff + 1 * LANES);
        FloatVector c10 = FloatVector.fromArray(F, c, cOff + 1 * cStride);
        FloatVector c11 = FloatVector.fromArray(F, c, cOff + 1 * cStride + 1 * LANES);
        FloatVector c20 = FloatVector.fromArray(F, c, cOff + 2 * cStride);
        FloatVector c21 = FloatVector.fromArray(F, c, cOff + 2 * cStride + 1 * LANES);
        FloatVector c30 = FloatVector.fromArray(F, c, cOff + 3 * cStride);
        FloatVector c31 = FloatVector.fromArray(F, c, cOff + 3 * cStride + 1 * LANES);
        FloatVector c40 = FloatVector.fromArray(F, c, cOff + 4 * cStride);
        FloatVector c41 = FloatVector.fromArray(F, c, cOff + 4 * cStride + 1 * LANES);
        FloatVector c50 = FloatVector.fromArray(F, c, cOff + 5 * cStride);
        FloatVector c51 = FloatVector.fromArray(F, c, cOff + 5 * cStride + 1 * LANES);
        FloatVector c60 = FloatVector.fromArray(F, c, cOff + 6 * cStride);
        FloatVector c61 = FloatVector.fromArray(F, c, cOff + 6 * cStride + 1 * LANES);
        FloatVector c70 = FloatVector.fromArray(F, c, cOff + 7 * cStride);
        FloatVector c71 = FloatVector.fromArray(F, c, cOff + 7 * cStride + 1 * LANES);
        for (int p = 0; p < kc; p++) {
            int at = xOff + p * xs;
            int wp = wOff + p;
            FloatVector b0 = FloatVector.fromArray(F, xp, at);
            FloatVector b1 = FloatVector.fromArray(F, xp, at + LANES);
            FloatVector a0 = FloatVector.broadcast(F, w[wp]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, w[wp + ws]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, w[wp + 2 * ws]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, w[wp + 3 * ws]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(F, w[wp + 4 * ws]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(F, w[wp + 5 * ws]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(F, w[wp + 6 * ws]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(F, w[wp + 7 * ws]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + 1 * LANES);
        c10.intoArray(c, cOff + 1 * cStride);
        c11.intoArray(c, cOff + 1 * cStride + 1 * LANES);
        c20.intoArray(c, cOff + 2 * cStride);
        c21.intoArray(c, cOff + 2 * cStride + 1 * LANES);
        c30.intoArray(c, cOff + 3 * cStride);
        c31.intoArray(c, cOff + 3 * cStride + 1 * LANES);
        c40.intoArray(c, cOff + 4 * cStride);
        c41.intoArray(c, cOff + 4 * cStride + 1 * LANES);
        c50.intoArray(c, cOff + 5 * cStride);
        c51.intoArray(c, cOff + 5 * cStride + 1 * LANES);
        c60.intoArray(c, cOff + 6 * cStride);
        c61.intoArray(c, cOff + 6 * cStride + 1 * LANES);
        c70.intoArray(c, cOff + 7 * cStride);
        c71.intoArray(c, cOff + 7 * cStride + 1 * LANES);
    }

    private static void rows8x1(float[] w, int wOff, int wStride, float[] xp, int xOff, int xStride,
                                float[] c, int cOff, int cStride, int kc) {
        FloatVector c00 = FloatVector.fromArray(F, c, cOff);
        FloatVector c10 = FloatVector.fromArray(F, c, cOff + 1 * cStride);
        FloatVector c20 = FloatVector.fromArray(F, c, cOff + 2 * cStride);
        FloatVector c30 = FloatVector.fromArray(F, c, cOff + 3 * cStride);
        FloatVector c40 = FloatVector.fromArray(F, c, cOff + 4 * cStride);
        FloatVector c50 = FloatVector.fromArray(F, c, cOff + 5 * cStride);
        FloatVector c60 = FloatVector.fromArray(F, c, cOff + 6 * cStride);
        FloatVector c70 = FloatVector.fromArray(F, c, cOff + 7 * cStride);
        int w0 = wOff;
        int w1 = wOff + 1 * wStride;
        int w2 = wOff + 2 * wStride;
        int w3 = wOff + 3 * wStride;
        int w4 = wOff + 4 * wStride;
        int w5 = wOff + 5 * wStride;
        int w6 = wOff + 6 * wStride;
        int w7 = wOff + 7 * wStride;
        for (int p = 0, at = xOff; p < kc; p++, at += xStride) {
            FloatVector b0 = FloatVector.fromArray(F, xp, at);
            FloatVector a0 = FloatVector.broadcast(F, w[w0 + p]);
            c00 = a0.fma(b0, c00);
            FloatVector a1 = FloatVector.broadcast(F, w[w1 + p]);
            c10 = a1.fma(b0, c10);
            FloatVector a2 = FloatVector.broadcast(F, w[w2 + p]);
            c20 = a2.fma(b0, c20);
            FloatVector a3 = FloatVector.broadcast(F, w[w3 + p]);
            c30 = a3.fma(b0, c30);
            FloatVector a4 = FloatVector.broadcast(F, w[w4 + p]);
            c40 = a4.fma(b0, c40);
            FloatVector a5 = FloatVector.broadcast(F, w[w5 + p]);
            c50 = a5.fma(b0, c50);
            FloatVector a6 = FloatVector.broadcast(F, w[w6 + p]);
            c60 = a6.fma(b0, c60);
            FloatVector a7 = FloatVector.broadcast(F, w[w7 + p]);
            c70 = a7.fma(b0, c70);
        }
        c00.intoArray(c, cOff);
        c10.intoArray(c, cOff + 1 * cStride);
        c20.intoArray(c, cOff + 2 * cStride);
        c30.intoArray(c, cOff + 3 * cStride);
        c40.intoArray(c, cOff + 4 * cStride);
        c50.intoArray(c, cOff + 5 * cStride);
        c60.intoArray(c, cOff + 6 * cStride);
        c70.intoArray(c, cOff + 7 * cStride);
    }

    private static void rows4x2(float[] w, int wOff, int wStride, float[] xp, int xOff, int xStride,
                                float[] c, int cOff, int cStride, int kc) {
        FloatVector c00 = FloatVector.fromArray(F, c, cOff);
        FloatVector c01 = FloatVector.fromArray(F, c, cOff + 1 * LANES);
        FloatVector c10 = FloatVector.fromArray(F, c, cOff + 1 * cStride);
        FloatVector c11 = FloatVector.fromArray(F, c, cOff + 1 * cStride + 1 * LANES);
        FloatVector c20 = FloatVector.fromArray(F, c, cOff + 2 * cStride);
        FloatVector c21 = FloatVector.fromArray(F, c, cOff + 2 * cStride + 1 * LANES);
        FloatVector c30 = FloatVector.fromArray(F, c, cOff + 3 * cStride);
        FloatVector c31 = FloatVector.fromArray(F, c, cOff + 3 * cStride + 1 * LANES);
        int w0 = wOff;
        int w1 = wOff + 1 * wStride;
        int w2 = wOff + 2 * wStride;
        int w3 = wOff + 3 * wStride;
        for (int p = 0, at = xOff; p < kc; p++, at += xStride) {
            FloatVector b0 = FloatVector.fromArray(F, xp, at);
            FloatVector b1 = FloatVector.fromArray(F, xp, at + 1 * LANES);
            FloatVector a0 = FloatVector.broadcast(F, w[w0 + p]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, w[w1 + p]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, w[w2 + p]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, w[w3 + p]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + 1 * LANES);
        c10.intoArray(c, cOff + 1 * cStride);
        c11.intoArray(c, cOff + 1 * cStride + 1 * LANES);
        c20.intoArray(c, cOff + 2 * cStride);
        c21.intoArray(c, cOff + 2 * cStride + 1 * LANES);
        c30.intoArray(c, cOff + 3 * cStride);
        c31.intoArray(c, cOff + 3 * cStride + 1 * LANES);
    }

    private static void rows4x1(float[] w, int wOff, int wStride, float[] xp, int xOff, int xStride,
                                float[] c, int cOff, int cStride, int kc) {
        FloatVector c00 = FloatVector.fromArray(F, c, cOff);
        FloatVector c10 = FloatVector.fromArray(F, c, cOff + 1 * cStride);
        FloatVector c20 = FloatVector.fromArray(F, c, cOff + 2 * cStride);
        FloatVector c30 = FloatVector.fromArray(F, c, cOff + 3 * cStride);
        int w0 = wOff;
        int w1 = wOff + 1 * wStride;
        int w2 = wOff + 2 * wStride;
        int w3 = wOff + 3 * wStride;
        for (int p = 0, at = xOff; p < kc; p++, at += xStride) {
            FloatVector b0 = FloatVector.fromArray(F, xp, at);
            FloatVector a0 = FloatVector.broadcast(F, w[w0 + p]);
            c00 = a0.fma(b0, c00);
            FloatVector a1 = FloatVector.broadcast(F, w[w1 + p]);
            c10 = a1.fma(b0, c10);
            FloatVector a2 = FloatVector.broadcast(F, w[w2 + p]);
            c20 = a2.fma(b0, c20);
            FloatVector a3 = FloatVector.broadcast(F, w[w3 + p]);
            c30 = a3.fma(b0, c30);
        }
        c00.intoArray(c, cOff);
        c10.intoArray(c, cOff + 1 * cStride);
        c20.intoArray(c, cOff + 2 * cStride);
        c30.intoArray(c, cOff + 3 * cStride);
    }

    /**
     * One row by four vectors: four independent chains, where two (rows1x2) wait on the
     * multiply-add latency at every step. A single query's attention output over 64 dimensions.
     */
    private static void rows1x4(float[] w, int wOff, int wStride, float[] xp, int xOff, int xStride,
                                float[] c, int cOff, int cStride, int kc) {
        FloatVector c00 = FloatVector.fromArray(F, c, cOff);
        FloatVector c01 = FloatVector.fromArray(F, c, cOff + 1 * LANES);
        FloatVector c02 = FloatVector.fromArray(F, c, cOff + 2 * LANES);
        FloatVector c03 = FloatVector.fromArray(F, c, cOff + 3 * LANES);
        int w0 = wOff;
        for (int p = 0, at = xOff; p < kc; p++, at += xStride) {
            FloatVector a0 = FloatVector.broadcast(F, w[w0 + p]);
            c00 = a0.fma(FloatVector.fromArray(F, xp, at), c00);
            c01 = a0.fma(FloatVector.fromArray(F, xp, at + 1 * LANES), c01);
            c02 = a0.fma(FloatVector.fromArray(F, xp, at + 2 * LANES), c02);
            c03 = a0.fma(FloatVector.fromArray(F, xp, at + 3 * LANES), c03);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + 1 * LANES);
        c02.intoArray(c, cOff + 2 * LANES);
        c03.intoArray(c, cOff + 3 * LANES);
    }

    /**
     * One row by two vectors at xA and two at xB (same stride), into four consecutive vectors of
     * c from cOff: {@link #rows1x2} of two places at once, so four chains run side by side.
     */
    private static void rows1x2x2(float[] w, int wOff, float[] xp, int xA, int xB, int xStride, float[] c, int cOff,
                                  int kc) {
        FloatVector c00 = FloatVector.fromArray(F, c, cOff);
        FloatVector c01 = FloatVector.fromArray(F, c, cOff + 1 * LANES);
        FloatVector c02 = FloatVector.fromArray(F, c, cOff + 2 * LANES);
        FloatVector c03 = FloatVector.fromArray(F, c, cOff + 3 * LANES);
        for (int p = 0, a = xA, b = xB; p < kc; p++, a += xStride, b += xStride) {
            FloatVector a0 = FloatVector.broadcast(F, w[wOff + p]);
            c00 = a0.fma(FloatVector.fromArray(F, xp, a), c00);
            c01 = a0.fma(FloatVector.fromArray(F, xp, a + 1 * LANES), c01);
            c02 = a0.fma(FloatVector.fromArray(F, xp, b), c02);
            c03 = a0.fma(FloatVector.fromArray(F, xp, b + 1 * LANES), c03);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + 1 * LANES);
        c02.intoArray(c, cOff + 2 * LANES);
        c03.intoArray(c, cOff + 3 * LANES);
    }

    private static void rows1x2(float[] w, int wOff, int wStride, float[] xp, int xOff, int xStride,
                                float[] c, int cOff, int cStride, int kc) {
        FloatVector c00 = FloatVector.fromArray(F, c, cOff);
        FloatVector c01 = FloatVector.fromArray(F, c, cOff + 1 * LANES);
        int w0 = wOff;
        for (int p = 0, at = xOff; p < kc; p++, at += xStride) {
            FloatVector b0 = FloatVector.fromArray(F, xp, at);
            FloatVector b1 = FloatVector.fromArray(F, xp, at + 1 * LANES);
            FloatVector a0 = FloatVector.broadcast(F, w[w0 + p]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + 1 * LANES);
    }

    private static void rows1x1(float[] w, int wOff, int wStride, float[] xp, int xOff, int xStride,
                                float[] c, int cOff, int cStride, int kc) {
        FloatVector c00 = FloatVector.fromArray(F, c, cOff);
        int w0 = wOff;
        for (int p = 0, at = xOff; p < kc; p++, at += xStride) {
            FloatVector b0 = FloatVector.fromArray(F, xp, at);
            FloatVector a0 = FloatVector.broadcast(F, w[w0 + p]);
            c00 = a0.fma(b0, c00);
        }
        c00.intoArray(c, cOff);
    }
}
