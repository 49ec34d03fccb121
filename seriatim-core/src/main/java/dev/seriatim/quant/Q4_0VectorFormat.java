package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.ThreadScratch;
import dev.seriatim.tensor.VectorLanes;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Q4_0Format} with Vector API dot and dequantize; load only when the Vector API is
 * available.
 *
 * <p>Dot: a block's 16 bytes each hold two codes, low nibble l (element i) and high nibble h
 * (element 16 + i), so the byte is {@code b = l + 16h}. The block's sum
 * {@code Σ x[i](l-8) + x[16+i](h-8)} is rewritten, with {@code h = (b - l) / 16}, as
 * {@code Σ u[i] l + v[i] b - 8 Σ x}, where {@code u[i] = x[i] - x[16+i]/16} and
 * {@code v[i] = x[16+i]/16} depend on the activations only and are made once per call. Per
 * float vector of a block the row then needs one widening of its bytes, one mask, two
 * conversions and two multiply-adds: the high nibbles are never shifted out, and the offset of 8 enters as a
 * per-block constant that seeds the block's accumulator. The block scale is read from
 * {@link HalfTable}. Dequantize subtracts 8 from the bytes.
 */
public final class Q4_0VectorFormat implements BlockFormat {

    /** The 8 accumulators of a group of rows, stored to be summed. */
    private static final ThreadScratch LANE_SUMS = new ThreadScratch();
    private static final VectorSpecies<Float> F = VectorLanes.FLOAT;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    /** Float vectors the 16 bytes of one block widen into. */
    private static final int PARTS = B.length() / F.length();
    private static final int BLOCK = Q4_0Format.BLOCK;
    private static final int BLOCK_BYTES = Q4_0Format.BLOCK_BYTES;
    private static final int HALF = Q4_0Format.HALF;
    private static final Q4_0Format SCALAR = new Q4_0Format();
    /** Whether rows go eight at a time ({@link #octDot}): its blocks take one widening, so 16 lanes. */
    private static final boolean OCTS = PARTS == 1;
    /** The activations rewritten as u, v and the block constants: a matvec makes several calls per thread. */
    private static final ThreadScratch REWRITTEN = new ThreadScratch();
    /** The second token's rewritten activations, where two tokens go through together. */
    private static final ThreadScratch REWRITTEN_SECOND = new ThreadScratch();

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        return rowDot(data, offset, rewrite(x, xOffset, n, REWRITTEN), n);
    }

    /**
     * Each row as {@link #dot}, with the activations rewritten once for all rows. With 16-lane
     * vectors rows go eight at a time, an eighth of the call's rows apart ({@link #octDot}); the
     * rows left over go alone.
     */
    @Override
    public void dotRows(MemorySegment data, long offset, long rowBytes, int rows, float[] x, int xOffset, int n,
            float[] out, int outOffset) {
        float[] rewritten = rewrite(x, xOffset, n, REWRITTEN);
        int eighth = OCTS ? rows / 8 : 0;
        float[] lanes = eighth > 0 ? LANE_SUMS.atLeast(8 * F.length()) : null;
        for (int r = 0; r < eighth; r++) {
            octDot(data, offset + r * rowBytes, eighth * rowBytes, rewritten, n, out, outOffset + r, eighth, lanes);
        }
        for (int r = 8 * eighth; r < rows; r++) {
            out[outOffset + r] = rowDot(data, offset + r * rowBytes, rewritten, n);
        }
    }

    /**
     * This thread's scratch holding, per block b: u at [b*16, b*16+16), v at
     * [n/2 + b*16, ...), and at n + b the block constant -8 Σ x spread evenly over the F lanes
     * that seed the block's accumulator (a power-of-two share, so it is exact).
     */
    private static float[] rewrite(float[] x, int xOffset, int n, ThreadScratch scratch) {
        int blocks = n / BLOCK;
        float[] s = scratch.atLeast(n + blocks);
        int vBase = n / 2;
        for (int b = 0; b < blocks; b++) {
            int xBase = xOffset + b * BLOCK;
            for (int p = 0; p < PARTS; p++) {
                int lane = p * F.length();
                FloatVector low = FloatVector.fromArray(F, x, xBase + lane);
                FloatVector high = FloatVector.fromArray(F, x, xBase + HALF + lane);
                high.mul(-0x1p-4f).add(low).intoArray(s, b * HALF + lane);
                high.mul(0x1p-4f).intoArray(s, vBase + b * HALF + lane);
            }
            s[n + b] = BlockSums.of(x, xBase, BLOCK) * (-8f / F.length());
        }
        return s;
    }

    private static float rowDot(MemorySegment data, long offset, float[] s, int n) {
        FloatVector acc = FloatVector.zero(F);
        int blocks = n / BLOCK;
        int vBase = n / 2;
        for (int b = 0; b < blocks; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            ByteVector packed = ByteVector.fromMemorySegment(B, data, block + 2, ByteOrder.LITTLE_ENDIAN);
            FloatVector blockAcc = FloatVector.broadcast(F, s[n + b]);
            for (int p = 0; p < PARTS; p++) {
                int lane = b * HALF + p * F.length();
                IntVector bytes = (IntVector) packed.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                FloatVector low = (FloatVector) bytes.and(0x0F).convert(VectorOperators.I2F, 0);
                FloatVector whole = (FloatVector) bytes.convert(VectorOperators.I2F, 0);
                blockAcc = low.fma(FloatVector.fromArray(F, s, lane), blockAcc);
                blockAcc = whole.fma(FloatVector.fromArray(F, s, vBase + lane), blockAcc);
            }
            acc = blockAcc.fma(FloatVector.broadcast(F, HalfTable.at(data, block)), acc);
        }
        return VectorLanes.sum(acc);
    }

    /**
     * {@link #rowDot} of the eight rows at offset + k * apart (k = 0..7), into
     * out[outAt + k * outApart]. From memory a row is one sequential stream, and the hardware
     * prefetcher follows a stream only within a 4 KiB page, so one row at a time waits on memory
     * at every page it enters; eight rows far apart keep eight streams in flight (two threads
     * over 604 MB of weights, rows of 2048: 11.3 to 13.0 billion weights/s; a Llama-3.2-1B-shape
     * file generates 5-18% faster; in cache, unchanged within noise). Each row's sums keep
     * rowDot's order, so the results are the same bits.
     *
     * <p>Everything is written out: C2 keeps vectors in registers only as named locals, not in
     * arrays, and a helper per block went over its inlining budget, so it was called and the
     * vectors boxed (6x slower). For the same reason the block scales are read before the
     * vector work, where they are inlined first.
     */
    private static void octDot(MemorySegment data, long offset, long apart, float[] s, int n, float[] out, int outAt,
            int outApart, float[] lanes) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        FloatVector acc4 = acc0;
        FloatVector acc5 = acc0;
        FloatVector acc6 = acc0;
        FloatVector acc7 = acc0;
        int blocks = n / BLOCK;
        int vBase = n / 2;
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
            FloatVector u = FloatVector.fromArray(F, s, b * HALF);
            FloatVector v = FloatVector.fromArray(F, s, vBase + b * HALF);
            FloatVector seed = FloatVector.broadcast(F, s[n + b]);
            IntVector bytes0 = (IntVector) ByteVector.fromMemorySegment(B, data, block0 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            FloatVector sum0 = ((FloatVector) bytes0.and(0x0F).convert(VectorOperators.I2F, 0)).fma(u, seed);
            sum0 = ((FloatVector) bytes0.convert(VectorOperators.I2F, 0)).fma(v, sum0);
            acc0 = sum0.fma(FloatVector.broadcast(F, d0), acc0);
            IntVector bytes1 = (IntVector) ByteVector.fromMemorySegment(B, data, block1 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            FloatVector sum1 = ((FloatVector) bytes1.and(0x0F).convert(VectorOperators.I2F, 0)).fma(u, seed);
            sum1 = ((FloatVector) bytes1.convert(VectorOperators.I2F, 0)).fma(v, sum1);
            acc1 = sum1.fma(FloatVector.broadcast(F, d1), acc1);
            IntVector bytes2 = (IntVector) ByteVector.fromMemorySegment(B, data, block2 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            FloatVector sum2 = ((FloatVector) bytes2.and(0x0F).convert(VectorOperators.I2F, 0)).fma(u, seed);
            sum2 = ((FloatVector) bytes2.convert(VectorOperators.I2F, 0)).fma(v, sum2);
            acc2 = sum2.fma(FloatVector.broadcast(F, d2), acc2);
            IntVector bytes3 = (IntVector) ByteVector.fromMemorySegment(B, data, block3 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            FloatVector sum3 = ((FloatVector) bytes3.and(0x0F).convert(VectorOperators.I2F, 0)).fma(u, seed);
            sum3 = ((FloatVector) bytes3.convert(VectorOperators.I2F, 0)).fma(v, sum3);
            acc3 = sum3.fma(FloatVector.broadcast(F, d3), acc3);
            IntVector bytes4 = (IntVector) ByteVector.fromMemorySegment(B, data, block4 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            FloatVector sum4 = ((FloatVector) bytes4.and(0x0F).convert(VectorOperators.I2F, 0)).fma(u, seed);
            sum4 = ((FloatVector) bytes4.convert(VectorOperators.I2F, 0)).fma(v, sum4);
            acc4 = sum4.fma(FloatVector.broadcast(F, d4), acc4);
            IntVector bytes5 = (IntVector) ByteVector.fromMemorySegment(B, data, block5 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            FloatVector sum5 = ((FloatVector) bytes5.and(0x0F).convert(VectorOperators.I2F, 0)).fma(u, seed);
            sum5 = ((FloatVector) bytes5.convert(VectorOperators.I2F, 0)).fma(v, sum5);
            acc5 = sum5.fma(FloatVector.broadcast(F, d5), acc5);
            IntVector bytes6 = (IntVector) ByteVector.fromMemorySegment(B, data, block6 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            FloatVector sum6 = ((FloatVector) bytes6.and(0x0F).convert(VectorOperators.I2F, 0)).fma(u, seed);
            sum6 = ((FloatVector) bytes6.convert(VectorOperators.I2F, 0)).fma(v, sum6);
            acc6 = sum6.fma(FloatVector.broadcast(F, d6), acc6);
            IntVector bytes7 = (IntVector) ByteVector.fromMemorySegment(B, data, block7 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            FloatVector sum7 = ((FloatVector) bytes7.and(0x0F).convert(VectorOperators.I2F, 0)).fma(u, seed);
            sum7 = ((FloatVector) bytes7.convert(VectorOperators.I2F, 0)).fma(v, sum7);
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
                float[] first = rewrite(x, xOffset + t * n, n, REWRITTEN);
                float[] second = rewrite(x, xOffset + (t + 1) * n, n, REWRITTEN_SECOND);
                int outA = outOffset + t * outApart;
                for (int r = 0; r < quarter; r++) {
                    quadPairDot(data, offset + r * rowBytes, quarter * rowBytes, first, second, n, out, outA + r,
                            outApart, quarter, lanes);
                }
                for (int r = 4 * quarter; r < rows; r++) {
                    out[outA + r] = rowDot(data, offset + r * rowBytes, first, n);
                    out[outA + outApart + r] = rowDot(data, offset + r * rowBytes, second, n);
                }
            }
        }
        for (; t < tokens; t++) {
            dotRows(data, offset, rowBytes, rows, x, xOffset + t * n, n, out, outOffset + t * outApart);
        }
    }

    /**
     * {@link #rowDot}'s sums of the four rows at offset + k * apart (k = 0..3) with two tokens'
     * rewritten activations, sa into out[outAt + k * outApart] and sb into out[outAt + tokenApart
     * + k * outApart]: each block's bytes are widened and converted once for both tokens, and
     * every sum keeps its single-token order. Four rows, not eight: sixteen accumulators plus the
     * converted rows would not stay in registers.
     */
    private static void quadPairDot(MemorySegment data, long offset, long apart, float[] sa, float[] sb, int n,
            float[] out, int outAt, int tokenApart, int outApart, float[] lanes) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        int blocks = n / BLOCK;
        int vBase = n / 2;
        for (int b = 0; b < blocks; b++) {
            long block0 = offset + (long) b * BLOCK_BYTES;
            long block1 = block0 + apart;
            long block2 = block1 + apart;
            long block3 = block2 + apart;
            float d0 = HalfTable.at(data, block0);
            float d1 = HalfTable.at(data, block1);
            float d2 = HalfTable.at(data, block2);
            float d3 = HalfTable.at(data, block3);
            FloatVector uA = FloatVector.fromArray(F, sa, b * HALF);
            FloatVector vA = FloatVector.fromArray(F, sa, vBase + b * HALF);
            FloatVector seedA = FloatVector.broadcast(F, sa[n + b]);
            FloatVector uB = FloatVector.fromArray(F, sb, b * HALF);
            FloatVector vB = FloatVector.fromArray(F, sb, vBase + b * HALF);
            FloatVector seedB = FloatVector.broadcast(F, sb[n + b]);
            IntVector bytes = (IntVector) ByteVector.fromMemorySegment(B, data, block0 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            FloatVector low = (FloatVector) bytes.and(0x0F).convert(VectorOperators.I2F, 0);
            FloatVector whole = (FloatVector) bytes.convert(VectorOperators.I2F, 0);
            FloatVector d = FloatVector.broadcast(F, d0);
            a0 = whole.fma(vA, low.fma(uA, seedA)).fma(d, a0);
            b0 = whole.fma(vB, low.fma(uB, seedB)).fma(d, b0);
            bytes = (IntVector) ByteVector.fromMemorySegment(B, data, block1 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            low = (FloatVector) bytes.and(0x0F).convert(VectorOperators.I2F, 0);
            whole = (FloatVector) bytes.convert(VectorOperators.I2F, 0);
            d = FloatVector.broadcast(F, d1);
            a1 = whole.fma(vA, low.fma(uA, seedA)).fma(d, a1);
            b1 = whole.fma(vB, low.fma(uB, seedB)).fma(d, b1);
            bytes = (IntVector) ByteVector.fromMemorySegment(B, data, block2 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            low = (FloatVector) bytes.and(0x0F).convert(VectorOperators.I2F, 0);
            whole = (FloatVector) bytes.convert(VectorOperators.I2F, 0);
            d = FloatVector.broadcast(F, d2);
            a2 = whole.fma(vA, low.fma(uA, seedA)).fma(d, a2);
            b2 = whole.fma(vB, low.fma(uB, seedB)).fma(d, b2);
            bytes = (IntVector) ByteVector.fromMemorySegment(B, data, block3 + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            low = (FloatVector) bytes.and(0x0F).convert(VectorOperators.I2F, 0);
            whole = (FloatVector) bytes.convert(VectorOperators.I2F, 0);
            d = FloatVector.broadcast(F, d3);
            a3 = whole.fma(vA, low.fma(uA, seedA)).fma(d, a3);
            b3 = whole.fma(vB, low.fma(uB, seedB)).fma(d, b3);
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
            ByteVector packed = ByteVector.fromMemorySegment(B, data, block + 2, ByteOrder.LITTLE_ENDIAN);
            ByteVector low = packed.and((byte) 0x0F).sub((byte) 8);
            ByteVector high = ByteShifts.shiftRightAndMask(packed, 4, 0x0F).sub((byte) 8);
            float d = HalfTable.at(data, block);
            for (int p = 0; p < PARTS; p++) {
                int lane = p * F.length();
                ((FloatVector) low.convertShape(VectorOperators.B2F, F, p)).mul(d).intoArray(out, outBase + lane);
                ((FloatVector) high.convertShape(VectorOperators.B2F, F, p)).mul(d)
                        .intoArray(out, outBase + HALF + lane);
            }
        }
    }

    @Override
    public void quantize(float[] src, int srcOffset, int n, MemorySegment data, long offset) {
        SCALAR.quantize(src, srcOffset, n, data, offset);
    }
}
