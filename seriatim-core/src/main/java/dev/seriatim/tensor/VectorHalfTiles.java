package dev.seriatim.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A lone query's attention tiles over a cache of halves, widening in registers
 * ({@link HalfBits}: each half comes out 2^112 times smaller, exactly). Rather than scaling
 * every widened vector back by 2^112, the caller passes the query or probabilities already multiplied by 2^112
 * (exact while they stay below 2^16 in magnitude), and since a fused multiply-add rounds the exact
 * product plus the sum once, every chain gives the very bits it gives over floats. A tile that
 * meets an infinity or NaN, which the shift would turn finite, writes nothing and returns false;
 * where the cache is known to hold none, {@code check} false skips looking (two vector
 * operations of the six each vector of halves costs), which C2 hoists out of the loop.
 * Only for 16-lane vectors ({@link #USABLE}). Load only when {@link VectorSupport#available()}.
 */
final class VectorHalfTiles {

    private static final VectorSpecies<Float> F = VectorLanes.FLOAT;
    private static final int LANES = F.length();
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_256;
    /** Whether the tiles run here: 16 float lanes, so a key strip is two vectors. */
    static final boolean USABLE = LANES == 16 && PackedMatmul.STRIP == 2 * LANES;
    private static final int EXPONENT = HalfBits.EXPONENT;

    private VectorHalfTiles() {}

    /**
     * The scores of one query over two key strips of halves (at xA and xB, stride 32) into the
     * four vectors of c from cOff, as rows1x2x2 over floats; w holds the query times 2^112.
     */
    static boolean queryStripPair(float[] w, int wOff, short[] xp, int xA, int xB, float[] c, int cOff, int kc,
                                  boolean check) {
        FloatVector c00 = FloatVector.fromArray(F, c, cOff);
        FloatVector c01 = FloatVector.fromArray(F, c, cOff + LANES);
        FloatVector c02 = FloatVector.fromArray(F, c, cOff + 2 * LANES);
        FloatVector c03 = FloatVector.fromArray(F, c, cOff + 3 * LANES);
        IntVector top = IntVector.zero(I);
        for (int p = 0, a = xA, b = xB; p < kc; p++, a += PackedMatmul.STRIP, b += PackedMatmul.STRIP) {
            FloatVector a0 = FloatVector.broadcast(F, w[wOff + p]);
            IntVector h0 = (IntVector) ShortVector.fromArray(S, xp, a).convertShape(VectorOperators.S2I, I, 0);
            IntVector h1 = (IntVector) ShortVector.fromArray(S, xp, a + LANES).convertShape(VectorOperators.S2I, I, 0);
            IntVector h2 = (IntVector) ShortVector.fromArray(S, xp, b).convertShape(VectorOperators.S2I, I, 0);
            IntVector h3 = (IntVector) ShortVector.fromArray(S, xp, b + LANES).convertShape(VectorOperators.S2I, I, 0);
            if (check) {
                top = top.max(h0.and(EXPONENT)).max(h1.and(EXPONENT)).max(h2.and(EXPONENT)).max(h3.and(EXPONENT));
            }
            c00 = a0.fma(HalfBits.scaledDown(h0), c00);
            c01 = a0.fma(HalfBits.scaledDown(h1), c01);
            c02 = a0.fma(HalfBits.scaledDown(h2), c02);
            c03 = a0.fma(HalfBits.scaledDown(h3), c03);
        }
        if (top.reduceLanes(VectorOperators.MAX) == EXPONENT) {
            return false;
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + LANES);
        c02.intoArray(c, cOff + 2 * LANES);
        c03.intoArray(c, cOff + 3 * LANES);
        return true;
    }

    /**
     * out[outOff .. + 4 * LANES) += sum over t < keys of w[wOff + t] * x[xOff + t * xStride ..],
     * x being halves, each element one chain over t in order, as rows1x4 over floats; w holds the
     * probabilities times 2^112.
     */
    static boolean queryValues(float[] w, int wOff, short[] xp, int xOff, int xStride, float[] out, int outOff,
                               int keys, boolean check) {
        FloatVector c00 = FloatVector.fromArray(F, out, outOff);
        FloatVector c01 = FloatVector.fromArray(F, out, outOff + LANES);
        FloatVector c02 = FloatVector.fromArray(F, out, outOff + 2 * LANES);
        FloatVector c03 = FloatVector.fromArray(F, out, outOff + 3 * LANES);
        IntVector top = IntVector.zero(I);
        for (int t = 0, at = xOff; t < keys; t++, at += xStride) {
            FloatVector a0 = FloatVector.broadcast(F, w[wOff + t]);
            IntVector h0 = (IntVector) ShortVector.fromArray(S, xp, at).convertShape(VectorOperators.S2I, I, 0);
            IntVector h1 = (IntVector) ShortVector.fromArray(S, xp, at + LANES).convertShape(VectorOperators.S2I, I, 0);
            IntVector h2 = (IntVector) ShortVector.fromArray(S, xp, at + 2 * LANES)
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector h3 = (IntVector) ShortVector.fromArray(S, xp, at + 3 * LANES)
                    .convertShape(VectorOperators.S2I, I, 0);
            if (check) {
                top = top.max(h0.and(EXPONENT)).max(h1.and(EXPONENT)).max(h2.and(EXPONENT)).max(h3.and(EXPONENT));
            }
            c00 = a0.fma(HalfBits.scaledDown(h0), c00);
            c01 = a0.fma(HalfBits.scaledDown(h1), c01);
            c02 = a0.fma(HalfBits.scaledDown(h2), c02);
            c03 = a0.fma(HalfBits.scaledDown(h3), c03);
        }
        if (top.reduceLanes(VectorOperators.MAX) == EXPONENT) {
            return false;
        }
        c00.intoArray(out, outOff);
        c01.intoArray(out, outOff + LANES);
        c02.intoArray(out, outOff + 2 * LANES);
        c03.intoArray(out, outOff + 3 * LANES);
        return true;
    }

    /**
     * {@link #queryStripPair} for four query rows at once (the heads that share a kv head): w holds
     * row r's query times 2^112 at wOff + r * wStride, and c row r's four vectors at
     * cOff + r * cStride. Each widened vector serves the four rows.
     */
    static boolean queryStripPair4(float[] w, int wOff, int wStride, short[] xp, int xA, int xB, float[] c, int cOff,
                                   int cStride, int kc, boolean check) {
        FloatVector c00 = FloatVector.fromArray(F, c, cOff + 0 * cStride + 0 * LANES);
        FloatVector c01 = FloatVector.fromArray(F, c, cOff + 0 * cStride + 1 * LANES);
        FloatVector c02 = FloatVector.fromArray(F, c, cOff + 0 * cStride + 2 * LANES);
        FloatVector c03 = FloatVector.fromArray(F, c, cOff + 0 * cStride + 3 * LANES);
        FloatVector c10 = FloatVector.fromArray(F, c, cOff + 1 * cStride + 0 * LANES);
        FloatVector c11 = FloatVector.fromArray(F, c, cOff + 1 * cStride + 1 * LANES);
        FloatVector c12 = FloatVector.fromArray(F, c, cOff + 1 * cStride + 2 * LANES);
        FloatVector c13 = FloatVector.fromArray(F, c, cOff + 1 * cStride + 3 * LANES);
        FloatVector c20 = FloatVector.fromArray(F, c, cOff + 2 * cStride + 0 * LANES);
        FloatVector c21 = FloatVector.fromArray(F, c, cOff + 2 * cStride + 1 * LANES);
        FloatVector c22 = FloatVector.fromArray(F, c, cOff + 2 * cStride + 2 * LANES);
        FloatVector c23 = FloatVector.fromArray(F, c, cOff + 2 * cStride + 3 * LANES);
        FloatVector c30 = FloatVector.fromArray(F, c, cOff + 3 * cStride + 0 * LANES);
        FloatVector c31 = FloatVector.fromArray(F, c, cOff + 3 * cStride + 1 * LANES);
        FloatVector c32 = FloatVector.fromArray(F, c, cOff + 3 * cStride + 2 * LANES);
        FloatVector c33 = FloatVector.fromArray(F, c, cOff + 3 * cStride + 3 * LANES);
        IntVector top = IntVector.zero(I);
        for (int p = 0, a = xA, b = xB; p < kc; p++, a += PackedMatmul.STRIP, b += PackedMatmul.STRIP) {
            IntVector h0 = (IntVector) ShortVector.fromArray(S, xp, a).convertShape(VectorOperators.S2I, I, 0);
            IntVector h1 = (IntVector) ShortVector.fromArray(S, xp, a + LANES).convertShape(VectorOperators.S2I, I, 0);
            IntVector h2 = (IntVector) ShortVector.fromArray(S, xp, b).convertShape(VectorOperators.S2I, I, 0);
            IntVector h3 = (IntVector) ShortVector.fromArray(S, xp, b + LANES).convertShape(VectorOperators.S2I, I, 0);
            if (check) {
                top = top.max(h0.and(EXPONENT)).max(h1.and(EXPONENT)).max(h2.and(EXPONENT)).max(h3.and(EXPONENT));
            }
            FloatVector x0 = HalfBits.scaledDown(h0);
            FloatVector x1 = HalfBits.scaledDown(h1);
            FloatVector x2 = HalfBits.scaledDown(h2);
            FloatVector x3 = HalfBits.scaledDown(h3);
            FloatVector a0 = FloatVector.broadcast(F, w[wOff + 0 * wStride + p]);
            c00 = a0.fma(x0, c00);
            c01 = a0.fma(x1, c01);
            c02 = a0.fma(x2, c02);
            c03 = a0.fma(x3, c03);
            FloatVector a1 = FloatVector.broadcast(F, w[wOff + 1 * wStride + p]);
            c10 = a1.fma(x0, c10);
            c11 = a1.fma(x1, c11);
            c12 = a1.fma(x2, c12);
            c13 = a1.fma(x3, c13);
            FloatVector a2 = FloatVector.broadcast(F, w[wOff + 2 * wStride + p]);
            c20 = a2.fma(x0, c20);
            c21 = a2.fma(x1, c21);
            c22 = a2.fma(x2, c22);
            c23 = a2.fma(x3, c23);
            FloatVector a3 = FloatVector.broadcast(F, w[wOff + 3 * wStride + p]);
            c30 = a3.fma(x0, c30);
            c31 = a3.fma(x1, c31);
            c32 = a3.fma(x2, c32);
            c33 = a3.fma(x3, c33);
        }
        if (top.reduceLanes(VectorOperators.MAX) == EXPONENT) {
            return false;
        }
        c00.intoArray(c, cOff + 0 * cStride + 0 * LANES);
        c01.intoArray(c, cOff + 0 * cStride + 1 * LANES);
        c02.intoArray(c, cOff + 0 * cStride + 2 * LANES);
        c03.intoArray(c, cOff + 0 * cStride + 3 * LANES);
        c10.intoArray(c, cOff + 1 * cStride + 0 * LANES);
        c11.intoArray(c, cOff + 1 * cStride + 1 * LANES);
        c12.intoArray(c, cOff + 1 * cStride + 2 * LANES);
        c13.intoArray(c, cOff + 1 * cStride + 3 * LANES);
        c20.intoArray(c, cOff + 2 * cStride + 0 * LANES);
        c21.intoArray(c, cOff + 2 * cStride + 1 * LANES);
        c22.intoArray(c, cOff + 2 * cStride + 2 * LANES);
        c23.intoArray(c, cOff + 2 * cStride + 3 * LANES);
        c30.intoArray(c, cOff + 3 * cStride + 0 * LANES);
        c31.intoArray(c, cOff + 3 * cStride + 1 * LANES);
        c32.intoArray(c, cOff + 3 * cStride + 2 * LANES);
        c33.intoArray(c, cOff + 3 * cStride + 3 * LANES);
        return true;
    }

    /**
     * {@link #queryValues} for four rows of probabilities at once (times 2^112, row r at
     * wOff + r * wStride) into out row r at outOff + r * outStride. Each widened vector serves
     * the four rows.
     */
    static boolean queryValues4(float[] w, int wOff, int wStride, short[] xp, int xOff, int xStride, float[] out,
                                int outOff, int outStride, int keys, boolean check) {
        FloatVector c00 = FloatVector.fromArray(F, out, outOff + 0 * outStride + 0 * LANES);
        FloatVector c01 = FloatVector.fromArray(F, out, outOff + 0 * outStride + 1 * LANES);
        FloatVector c02 = FloatVector.fromArray(F, out, outOff + 0 * outStride + 2 * LANES);
        FloatVector c03 = FloatVector.fromArray(F, out, outOff + 0 * outStride + 3 * LANES);
        FloatVector c10 = FloatVector.fromArray(F, out, outOff + 1 * outStride + 0 * LANES);
        FloatVector c11 = FloatVector.fromArray(F, out, outOff + 1 * outStride + 1 * LANES);
        FloatVector c12 = FloatVector.fromArray(F, out, outOff + 1 * outStride + 2 * LANES);
        FloatVector c13 = FloatVector.fromArray(F, out, outOff + 1 * outStride + 3 * LANES);
        FloatVector c20 = FloatVector.fromArray(F, out, outOff + 2 * outStride + 0 * LANES);
        FloatVector c21 = FloatVector.fromArray(F, out, outOff + 2 * outStride + 1 * LANES);
        FloatVector c22 = FloatVector.fromArray(F, out, outOff + 2 * outStride + 2 * LANES);
        FloatVector c23 = FloatVector.fromArray(F, out, outOff + 2 * outStride + 3 * LANES);
        FloatVector c30 = FloatVector.fromArray(F, out, outOff + 3 * outStride + 0 * LANES);
        FloatVector c31 = FloatVector.fromArray(F, out, outOff + 3 * outStride + 1 * LANES);
        FloatVector c32 = FloatVector.fromArray(F, out, outOff + 3 * outStride + 2 * LANES);
        FloatVector c33 = FloatVector.fromArray(F, out, outOff + 3 * outStride + 3 * LANES);
        IntVector top = IntVector.zero(I);
        for (int t = 0, at = xOff; t < keys; t++, at += xStride) {
            IntVector h0 = (IntVector) ShortVector.fromArray(S, xp, at).convertShape(VectorOperators.S2I, I, 0);
            IntVector h1 = (IntVector) ShortVector.fromArray(S, xp, at + 1 * LANES)
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector h2 = (IntVector) ShortVector.fromArray(S, xp, at + 2 * LANES)
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector h3 = (IntVector) ShortVector.fromArray(S, xp, at + 3 * LANES)
                    .convertShape(VectorOperators.S2I, I, 0);
            if (check) {
                top = top.max(h0.and(EXPONENT)).max(h1.and(EXPONENT)).max(h2.and(EXPONENT)).max(h3.and(EXPONENT));
            }
            FloatVector x0 = HalfBits.scaledDown(h0);
            FloatVector x1 = HalfBits.scaledDown(h1);
            FloatVector x2 = HalfBits.scaledDown(h2);
            FloatVector x3 = HalfBits.scaledDown(h3);
            FloatVector a0 = FloatVector.broadcast(F, w[wOff + 0 * wStride + t]);
            c00 = a0.fma(x0, c00);
            c01 = a0.fma(x1, c01);
            c02 = a0.fma(x2, c02);
            c03 = a0.fma(x3, c03);
            FloatVector a1 = FloatVector.broadcast(F, w[wOff + 1 * wStride + t]);
            c10 = a1.fma(x0, c10);
            c11 = a1.fma(x1, c11);
            c12 = a1.fma(x2, c12);
            c13 = a1.fma(x3, c13);
            FloatVector a2 = FloatVector.broadcast(F, w[wOff + 2 * wStride + t]);
            c20 = a2.fma(x0, c20);
            c21 = a2.fma(x1, c21);
            c22 = a2.fma(x2, c22);
            c23 = a2.fma(x3, c23);
            FloatVector a3 = FloatVector.broadcast(F, w[wOff + 3 * wStride + t]);
            c30 = a3.fma(x0, c30);
            c31 = a3.fma(x1, c31);
            c32 = a3.fma(x2, c32);
            c33 = a3.fma(x3, c33);
        }
        if (top.reduceLanes(VectorOperators.MAX) == EXPONENT) {
            return false;
        }
        c00.intoArray(out, outOff + 0 * outStride + 0 * LANES);
        c01.intoArray(out, outOff + 0 * outStride + 1 * LANES);
        c02.intoArray(out, outOff + 0 * outStride + 2 * LANES);
        c03.intoArray(out, outOff + 0 * outStride + 3 * LANES);
        c10.intoArray(out, outOff + 1 * outStride + 0 * LANES);
        c11.intoArray(out, outOff + 1 * outStride + 1 * LANES);
        c12.intoArray(out, outOff + 1 * outStride + 2 * LANES);
        c13.intoArray(out, outOff + 1 * outStride + 3 * LANES);
        c20.intoArray(out, outOff + 2 * outStride + 0 * LANES);
        c21.intoArray(out, outOff + 2 * outStride + 1 * LANES);
        c22.intoArray(out, outOff + 2 * outStride + 2 * LANES);
        c23.intoArray(out, outOff + 2 * outStride + 3 * LANES);
        c30.intoArray(out, outOff + 3 * outStride + 0 * LANES);
        c31.intoArray(out, outOff + 3 * outStride + 1 * LANES);
        c32.intoArray(out, outOff + 3 * outStride + 2 * LANES);
        c33.intoArray(out, outOff + 3 * outStride + 3 * LANES);
        return true;
    }
}
