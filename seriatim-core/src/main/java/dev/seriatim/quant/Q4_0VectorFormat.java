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

    private static final VectorSpecies<Float> F = VectorLanes.FLOAT;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    /** Float vectors the 16 bytes of one block widen into. */
    private static final int PARTS = B.length() / F.length();
    private static final int BLOCK = Q4_0Format.BLOCK;
    private static final int BLOCK_BYTES = Q4_0Format.BLOCK_BYTES;
    private static final int HALF = Q4_0Format.HALF;
    private static final Q4_0Format SCALAR = new Q4_0Format();
    /** The activations rewritten as u, v and the block constants: a matvec makes several calls per thread. */
    private static final ThreadScratch REWRITTEN = new ThreadScratch();

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        return rowDot(data, offset, rewrite(x, xOffset, n), n);
    }

    /** Each row as {@link #dot}, with the activations rewritten once for all rows. */
    @Override
    public void dotRows(MemorySegment data, long offset, long rowBytes, int rows, float[] x, int xOffset, int n,
            float[] out, int outOffset) {
        float[] rewritten = rewrite(x, xOffset, n);
        for (int r = 0; r < rows; r++) {
            out[outOffset + r] = rowDot(data, offset + r * rowBytes, rewritten, n);
        }
    }

    /**
     * This thread's scratch holding, per block b: u at [b*16, b*16+16), v at
     * [n/2 + b*16, ...), and at n + b the block constant -8 Σ x spread evenly over the F lanes
     * that seed the block's accumulator (a power-of-two share, so it is exact).
     */
    private static float[] rewrite(float[] x, int xOffset, int n) {
        int blocks = n / BLOCK;
        float[] s = REWRITTEN.atLeast(n + blocks);
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
