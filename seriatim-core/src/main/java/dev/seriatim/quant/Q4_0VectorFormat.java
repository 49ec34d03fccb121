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
 * <p>Dot: per block, widen the 16 packed bytes to int lanes once, take low nibbles (elements
 * 0..15) and high nibbles (16..31) from the same lanes, multiply-add them against x as floats,
 * and apply the block scale once to the block accumulator; the offset of 8 is subtracted per
 * block as 8 d times the block's activation sum. Dequantize subtracts 8 from the bytes.
 */
public final class Q4_0VectorFormat implements BlockFormat {

    private static final VectorSpecies<Float> F = VectorLanes.FLOAT;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    /** Float vectors the 16 codes of one half-block widen into. */
    private static final int PARTS = B.length() / F.length();
    private static final int BLOCK = Q4_0Format.BLOCK;
    private static final int BLOCK_BYTES = Q4_0Format.BLOCK_BYTES;
    private static final int HALF = Q4_0Format.HALF;
    private static final Q4_0Format SCALAR = new Q4_0Format();
    /** The activations' block sums: a matvec makes several calls per thread. */
    private static final ThreadScratch OFFSET_SUMS = new ThreadScratch();

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        return rowDot(data, offset, x, xOffset, offsetSums(x, xOffset, n), n);
    }

    /** Each row as {@link #dot}, with the activations' block sums computed once for all rows. */
    @Override
    public void dotRows(MemorySegment data, long offset, long rowBytes, int rows, float[] x, int xOffset, int n,
            float[] out, int outOffset) {
        float[] offsetSums = offsetSums(x, xOffset, n);
        for (int r = 0; r < rows; r++) {
            out[outOffset + r] = rowDot(data, offset + r * rowBytes, x, xOffset, offsetSums, n);
        }
    }

    /** 8 x the sum of each block's activations: the part of a block's dot due to the codes' offset of 8. */
    private static float[] offsetSums(float[] x, int xOffset, int n) {
        float[] sums = OFFSET_SUMS.atLeast(n / BLOCK);
        for (int b = 0; b < n / BLOCK; b++) {
            float sum = 0f;
            for (int i = 0; i < BLOCK; i++) {
                sum += x[xOffset + b * BLOCK + i];
            }
            sums[b] = 8f * sum;
        }
        return sums;
    }

    /**
     * Sum over blocks of d * (codes . x - offsetSums[b]): the codes are used as stored (0..15)
     * and the offset of 8 is taken out once per block with the precomputed activation sum, which
     * saves two subtractions per block; the 16 packed bytes are widened to int lanes once, and
     * each lane then holds both of its nibbles.
     */
    private static float rowDot(MemorySegment data, long offset, float[] x, int xOffset, float[] offsetSums, int n) {
        FloatVector acc = FloatVector.zero(F);
        float offsetPart = 0f;
        int blocks = n / BLOCK;
        for (int b = 0; b < blocks; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int xBase = xOffset + b * BLOCK;
            ByteVector packed = ByteVector.fromMemorySegment(B, data, block + 2, ByteOrder.LITTLE_ENDIAN);
            FloatVector blockAcc = FloatVector.zero(F);
            for (int p = 0; p < PARTS; p++) {
                int lane = p * F.length();
                IntVector codes = (IntVector) packed.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                FloatVector low = (FloatVector) codes.and(0x0F).convert(VectorOperators.I2F, 0);
                FloatVector high = (FloatVector) codes.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0);
                blockAcc = low.fma(FloatVector.fromArray(F, x, xBase + lane), blockAcc);
                blockAcc = high.fma(FloatVector.fromArray(F, x, xBase + HALF + lane), blockAcc);
            }
            float d = Float.float16ToFloat(data.get(LittleEndian.SHORT, block));
            acc = blockAcc.fma(FloatVector.broadcast(F, d), acc);
            offsetPart = Math.fma(d, offsetSums[b], offsetPart);
        }
        return VectorLanes.sum(acc) - offsetPart;
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
            float d = Float.float16ToFloat(data.get(LittleEndian.SHORT, block));
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
