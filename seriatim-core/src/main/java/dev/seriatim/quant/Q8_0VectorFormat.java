package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.ThreadScratch;
import dev.seriatim.tensor.VectorLanes;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Q8_0Format} with Vector API dot and dequantize; load only when the Vector API is
 * available.
 *
 * <p>Per block: load the signed bytes, widen them to floats, fused-multiply-add against x into
 * a block accumulator, then add {@code accumulator * d} to the row accumulator — the scale is
 * applied once per block, not per element, and read from {@link HalfTable}. Rows go through
 * eight or two at a time ({@link #dotRows}) with each row's sums in the order of {@code dot},
 * which is the pair kernel with one row twice, so the bits are the same either way.
 */
public final class Q8_0VectorFormat implements BlockFormat {

    /** The 8 accumulators of a group of rows, stored to be summed. */
    private static final ThreadScratch LANE_SUMS = new ThreadScratch();
    private static final VectorSpecies<Float> F = VectorLanes.FLOAT;
    /** Bytes per load: one float vector's worth, but at least 64 bits (the smallest shape). */
    private static final VectorSpecies<Byte> B =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, F.length() * 8)));
    /** Float vectors one byte load widens into. */
    private static final int PARTS = B.length() / F.length();
    private static final int BLOCK = Q8_0Format.BLOCK;
    private static final int BLOCK_BYTES = Q8_0Format.BLOCK_BYTES;
    private static final Q8_0Format SCALAR = new Q8_0Format();
    /** Whether rows go eight at a time ({@link #octDot}): one byte load per half block, so 16 lanes. */
    private static final boolean OCTS = F.length() == 16 && B.length() == 16;
    private static final int HALF = BLOCK / 2;

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        float[] out = new float[2];
        rowPairDot(data, offset, offset, x, xOffset, n, out, 0, 1);
        return out[0];
    }

    /**
     * Rows r and r + rows/2 go through together, each as {@link #dot} computes it (so the bits
     * are the same), sharing the loads of x. The point is the memory: two rows far apart are two
     * sequential streams, and with both in flight a thread reads from memory at 8-9 GB/s where
     * one row at a time reached 5-6.5 (one thread, 142 MB of weights, alternating runs). With
     * 16-lane vectors rows go eight at a time instead ({@link #octDot}), and the rows left over
     * by the eighths in pairs.
     */
    @Override
    public void dotRows(MemorySegment data, long offset, long rowBytes, int rows, float[] x, int xOffset, int n,
            float[] out, int outOffset) {
        if (OCTS) {
            int eighth = rows / 8;
            float[] lanes = eighth > 0 ? LANE_SUMS.atLeast(8 * F.length()) : null;
            for (int r = 0; r < eighth; r++) {
                octDot(data, offset + r * rowBytes, eighth * rowBytes, x, xOffset, n, out, outOffset + r, eighth,
                        lanes);
            }
            int done = 8 * eighth;
            offset += done * rowBytes;
            rows -= done;
            outOffset += done;
        }
        int half = rows / 2;
        for (int r = 0; r < half; r++) {
            rowPairDot(data, offset + r * rowBytes, offset + (r + half) * rowBytes, x, xOffset, n,
                    out, outOffset + r, outOffset + r + half);
        }
        if (rows % 2 == 1) {
            long last = offset + (rows - 1) * rowBytes;
            rowPairDot(data, last, last, x, xOffset, n, out, outOffset + rows - 1, outOffset + rows - 1);
        }
    }

    /**
     * Each token's {@link #dotRows}, from {@link #PAIRS_FROM_TOKENS} tokens two at a time with
     * 16-lane vectors: four rows a
     * quarter of the call's rows apart ({@link #quadPairDot}) widen each block once for both
     * tokens, and the rows left over by the quarters go alone. A last odd token goes through
     * {@code dotRows}.
     */
    @Override
    public void dotRowsTokens(MemorySegment data, long offset, long rowBytes, int rows, float[] x, int xOffset, int n,
            int tokens, float[] out, int outOffset, int outApart) {
        int t = 0;
        if (OCTS && tokens >= PAIRS_FROM_TOKENS) {
            int quarter = rows / 4;
            float[] lanes = LANE_SUMS.atLeast(8 * F.length());
            for (; t + 1 < tokens; t += 2) {
                int xa = xOffset + t * n;
                int outA = outOffset + t * outApart;
                for (int r = 0; r < quarter; r++) {
                    quadPairDot(data, offset + r * rowBytes, quarter * rowBytes, x, xa, xa + n, n, out, outA + r,
                            outApart, quarter, lanes);
                }
                for (int r = 4 * quarter; r < rows; r++) {
                    long row = offset + r * rowBytes;
                    rowPairDot(data, row, row, x, xa, n, out, outA + r, outA + r);
                    rowPairDot(data, row, row, x, xa + n, n, out, outA + outApart + r, outA + outApart + r);
                }
            }
        }
        for (; t < tokens; t++) {
            dotRows(data, offset, rowBytes, rows, x, xOffset + t * n, n, out, outOffset + t * outApart);
        }
    }

    /** The dots of the rows at {@code first} and {@code second}, into out[at] and out[secondAt]. */
    private static void rowPairDot(MemorySegment data, long first, long second, float[] x, int xOffset, int n,
            float[] out, int firstAt, int secondAt) {
        FloatVector acc = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        int blocks = n / BLOCK;
        for (int b = 0; b < blocks; b++) {
            long block = first + (long) b * BLOCK_BYTES;
            long block2 = second + (long) b * BLOCK_BYTES;
            int xBase = xOffset + b * BLOCK;
            FloatVector blockAcc = FloatVector.zero(F);
            FloatVector blockAcc2 = FloatVector.zero(F);
            for (int j = 0; j < BLOCK; j += B.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, data, block + 2 + j, ByteOrder.LITTLE_ENDIAN);
                ByteVector q2 = ByteVector.fromMemorySegment(B, data, block2 + 2 + j, ByteOrder.LITTLE_ENDIAN);
                for (int p = 0; p < PARTS; p++) {
                    FloatVector xs = FloatVector.fromArray(F, x, xBase + j + p * F.length());
                    blockAcc = ((FloatVector) q.convertShape(VectorOperators.B2F, F, p)).fma(xs, blockAcc);
                    blockAcc2 = ((FloatVector) q2.convertShape(VectorOperators.B2F, F, p)).fma(xs, blockAcc2);
                }
            }
            acc = blockAcc.fma(FloatVector.broadcast(F, HalfTable.at(data, block)), acc);
            acc2 = blockAcc2.fma(FloatVector.broadcast(F, HalfTable.at(data, block2)), acc2);
        }
        out[secondAt] = VectorLanes.sum(acc2);
        out[firstAt] = VectorLanes.sum(acc);
    }

    /**
     * {@link #rowPairDot}'s sums for the eight rows at offset + k * apart (k = 0..7), into
     * out[outAt + k * outApart]: eight streams from memory where a pair is two (two threads over
     * 279 MB of weights, rows of 2048: 11.0-12.3 billion weights/s for pairs, 12.8-14.1 for
     * eight rows, 12.4-13.2 for four; in cache eight rows measured 20% faster than pairs too).
     * A Llama-3.2-1B-shape file generates 7.7-8.4 tokens/s with pairs and 10.9-11.5 with eight
     * rows. Everything is written out: C2 keeps vectors in registers only as named locals, and a
     * helper per load went over its inlining budget, so it was called and the vectors boxed (5x
     * slower). For the same reason the block scales are read before the vector work.
     */
    private static void octDot(MemorySegment data, long offset, long apart, float[] x, int xOffset, int n, float[] out,
            int outAt, int outApart, float[] lanes) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        FloatVector acc4 = acc0;
        FloatVector acc5 = acc0;
        FloatVector acc6 = acc0;
        FloatVector acc7 = acc0;
        int blocks = n / BLOCK;
        for (int b = 0; b < blocks; b++) {
            long block0 = offset + (long) b * BLOCK_BYTES;
            long block1 = block0 + apart;
            long block2 = block1 + apart;
            long block3 = block2 + apart;
            long block4 = block3 + apart;
            long block5 = block4 + apart;
            long block6 = block5 + apart;
            long block7 = block6 + apart;
            float d0 = HalfTable.at(data, block0);
            float d1 = HalfTable.at(data, block1);
            float d2 = HalfTable.at(data, block2);
            float d3 = HalfTable.at(data, block3);
            float d4 = HalfTable.at(data, block4);
            float d5 = HalfTable.at(data, block5);
            float d6 = HalfTable.at(data, block6);
            float d7 = HalfTable.at(data, block7);
            int xBase = xOffset + b * BLOCK;
            FloatVector low = FloatVector.fromArray(F, x, xBase);
            FloatVector high = FloatVector.fromArray(F, x, xBase + HALF);
            FloatVector sum0 = ((FloatVector) ByteVector.fromMemorySegment(B, data, block0 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0)).fma(low, FloatVector.zero(F));
            sum0 = ((FloatVector) ByteVector.fromMemorySegment(B, data, block0 + 2 + HALF, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0)).fma(high, sum0);
            acc0 = sum0.fma(FloatVector.broadcast(F, d0), acc0);
            FloatVector sum1 = ((FloatVector) ByteVector.fromMemorySegment(B, data, block1 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0)).fma(low, FloatVector.zero(F));
            sum1 = ((FloatVector) ByteVector.fromMemorySegment(B, data, block1 + 2 + HALF, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0)).fma(high, sum1);
            acc1 = sum1.fma(FloatVector.broadcast(F, d1), acc1);
            FloatVector sum2 = ((FloatVector) ByteVector.fromMemorySegment(B, data, block2 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0)).fma(low, FloatVector.zero(F));
            sum2 = ((FloatVector) ByteVector.fromMemorySegment(B, data, block2 + 2 + HALF, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0)).fma(high, sum2);
            acc2 = sum2.fma(FloatVector.broadcast(F, d2), acc2);
            FloatVector sum3 = ((FloatVector) ByteVector.fromMemorySegment(B, data, block3 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0)).fma(low, FloatVector.zero(F));
            sum3 = ((FloatVector) ByteVector.fromMemorySegment(B, data, block3 + 2 + HALF, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0)).fma(high, sum3);
            acc3 = sum3.fma(FloatVector.broadcast(F, d3), acc3);
            FloatVector sum4 = ((FloatVector) ByteVector.fromMemorySegment(B, data, block4 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0)).fma(low, FloatVector.zero(F));
            sum4 = ((FloatVector) ByteVector.fromMemorySegment(B, data, block4 + 2 + HALF, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0)).fma(high, sum4);
            acc4 = sum4.fma(FloatVector.broadcast(F, d4), acc4);
            FloatVector sum5 = ((FloatVector) ByteVector.fromMemorySegment(B, data, block5 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0)).fma(low, FloatVector.zero(F));
            sum5 = ((FloatVector) ByteVector.fromMemorySegment(B, data, block5 + 2 + HALF, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0)).fma(high, sum5);
            acc5 = sum5.fma(FloatVector.broadcast(F, d5), acc5);
            FloatVector sum6 = ((FloatVector) ByteVector.fromMemorySegment(B, data, block6 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0)).fma(low, FloatVector.zero(F));
            sum6 = ((FloatVector) ByteVector.fromMemorySegment(B, data, block6 + 2 + HALF, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0)).fma(high, sum6);
            acc6 = sum6.fma(FloatVector.broadcast(F, d6), acc6);
            FloatVector sum7 = ((FloatVector) ByteVector.fromMemorySegment(B, data, block7 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0)).fma(low, FloatVector.zero(F));
            sum7 = ((FloatVector) ByteVector.fromMemorySegment(B, data, block7 + 2 + HALF, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0)).fma(high, sum7);
            acc7 = sum7.fma(FloatVector.broadcast(F, d7), acc7);
        }
        // stored and summed by VectorLanes.sumEach: this method is too large for C2 to inline
        // VectorLanes.sum, and a call taking a vector would box it per row (in the Q4_0 and
        // Q8_0 kernels 12-14% of a stories110M-shape token, measured)
        int w = F.length();
        acc0.intoArray(lanes, 0);
        acc1.intoArray(lanes, 1 * w);
        acc2.intoArray(lanes, 2 * w);
        acc3.intoArray(lanes, 3 * w);
        acc4.intoArray(lanes, 4 * w);
        acc5.intoArray(lanes, 5 * w);
        acc6.intoArray(lanes, 6 * w);
        acc7.intoArray(lanes, 7 * w);
        VectorLanes.sumEach(lanes, 8, out, outAt, outApart);
    }

    /**
     * {@link #rowPairDot}'s sums of the four rows at offset + k * apart (k = 0..3) with two
     * tokens, x[xa ..] into out[outAt + k * outApart] and x[xb ..] into out[outAt + tokenApart +
     * k * outApart]: each block's bytes are widened once for both tokens, and every sum keeps
     * its single-token order. Four rows, not eight: sixteen accumulators plus the widened rows
     * would not stay in registers.
     */
    private static void quadPairDot(MemorySegment data, long offset, long apart, float[] x, int xa, int xb, int n,
            float[] out, int outAt, int tokenApart, int outApart, float[] lanes) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        FloatVector zero = a0;
        int blocks = n / BLOCK;
        for (int b = 0; b < blocks; b++) {
            long block0 = offset + (long) b * BLOCK_BYTES;
            long block1 = block0 + apart;
            long block2 = block1 + apart;
            long block3 = block2 + apart;
            float d0 = HalfTable.at(data, block0);
            float d1 = HalfTable.at(data, block1);
            float d2 = HalfTable.at(data, block2);
            float d3 = HalfTable.at(data, block3);
            int xBase = b * BLOCK;
            FloatVector lowA = FloatVector.fromArray(F, x, xa + xBase);
            FloatVector highA = FloatVector.fromArray(F, x, xa + xBase + HALF);
            FloatVector lowB = FloatVector.fromArray(F, x, xb + xBase);
            FloatVector highB = FloatVector.fromArray(F, x, xb + xBase + HALF);
            FloatVector q = (FloatVector) ByteVector.fromMemorySegment(B, data, block0 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0);
            FloatVector p = (FloatVector) ByteVector.fromMemorySegment(B, data, block0 + 2 + HALF,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2F, F, 0);
            FloatVector d = FloatVector.broadcast(F, d0);
            a0 = p.fma(highA, q.fma(lowA, zero)).fma(d, a0);
            b0 = p.fma(highB, q.fma(lowB, zero)).fma(d, b0);
            q = (FloatVector) ByteVector.fromMemorySegment(B, data, block1 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0);
            p = (FloatVector) ByteVector.fromMemorySegment(B, data, block1 + 2 + HALF, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0);
            d = FloatVector.broadcast(F, d1);
            a1 = p.fma(highA, q.fma(lowA, zero)).fma(d, a1);
            b1 = p.fma(highB, q.fma(lowB, zero)).fma(d, b1);
            q = (FloatVector) ByteVector.fromMemorySegment(B, data, block2 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0);
            p = (FloatVector) ByteVector.fromMemorySegment(B, data, block2 + 2 + HALF, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0);
            d = FloatVector.broadcast(F, d2);
            a2 = p.fma(highA, q.fma(lowA, zero)).fma(d, a2);
            b2 = p.fma(highB, q.fma(lowB, zero)).fma(d, b2);
            q = (FloatVector) ByteVector.fromMemorySegment(B, data, block3 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0);
            p = (FloatVector) ByteVector.fromMemorySegment(B, data, block3 + 2 + HALF, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, F, 0);
            d = FloatVector.broadcast(F, d3);
            a3 = p.fma(highA, q.fma(lowA, zero)).fma(d, a3);
            b3 = p.fma(highB, q.fma(lowB, zero)).fma(d, b3);
        }
        int w = F.length();
        a0.intoArray(lanes, 0);
        a1.intoArray(lanes, w);
        a2.intoArray(lanes, 2 * w);
        a3.intoArray(lanes, 3 * w);
        VectorLanes.sumEach(lanes, 4, out, outAt, outApart);
        b0.intoArray(lanes, 0);
        b1.intoArray(lanes, w);
        b2.intoArray(lanes, 2 * w);
        b3.intoArray(lanes, 3 * w);
        VectorLanes.sumEach(lanes, 4, out, outAt + tokenApart, outApart);
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] out, int outOffset, int n) {
        int blocks = n / BLOCK;
        for (int b = 0; b < blocks; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int outBase = outOffset + b * BLOCK;
            float d = HalfTable.at(data, block);
            for (int j = 0; j < BLOCK; j += B.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, data, block + 2 + j, ByteOrder.LITTLE_ENDIAN);
                for (int p = 0; p < PARTS; p++) {
                    ((FloatVector) q.convertShape(VectorOperators.B2F, F, p))
                            .mul(d)
                            .intoArray(out, outBase + j + p * F.length());
                }
            }
        }
    }

    @Override
    public void quantize(float[] src, int srcOffset, int n, MemorySegment data, long offset) {
        SCALAR.quantize(src, srcOffset, n, data, offset);
    }
}
