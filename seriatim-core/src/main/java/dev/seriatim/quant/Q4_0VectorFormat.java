package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.VectorLanes;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Q4_0Format} with Vector API dot and dequantize; load only when the Vector API is
 * available.
 *
 * <p>Per block: load the 16 packed bytes once, split them into low nibbles (elements 0..15) and
 * high nibbles (elements 16..31), subtract 8 while still bytes, widen to floats, fused-multiply-add
 * against x, and apply the block scale once to the block accumulator.
 */
public final class Q4_0VectorFormat implements BlockFormat {

    private static final VectorSpecies<Float> F = VectorLanes.FLOAT;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    /** Float vectors the 16 codes of one half-block widen into. */
    private static final int PARTS = B.length() / F.length();
    private static final int BLOCK = Q4_0Format.BLOCK;
    private static final int BLOCK_BYTES = Q4_0Format.BLOCK_BYTES;
    private static final int HALF = Q4_0Format.HALF;
    private static final Q4_0Format SCALAR = new Q4_0Format();

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        FloatVector acc = FloatVector.zero(F);
        int blocks = n / BLOCK;
        for (int b = 0; b < blocks; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int xBase = xOffset + b * BLOCK;
            ByteVector packed = ByteVector.fromMemorySegment(B, data, block + 2, ByteOrder.LITTLE_ENDIAN);
            ByteVector low = packed.and((byte) 0x0F).sub((byte) 8);
            ByteVector high = ByteShifts.shiftRightAndMask(packed, 4, 0x0F).sub((byte) 8);
            FloatVector blockAcc = FloatVector.zero(F);
            for (int p = 0; p < PARTS; p++) {
                int lane = p * F.length();
                FloatVector wLow = (FloatVector) low.convertShape(VectorOperators.B2F, F, p);
                FloatVector wHigh = (FloatVector) high.convertShape(VectorOperators.B2F, F, p);
                blockAcc = wLow.fma(FloatVector.fromArray(F, x, xBase + lane), blockAcc);
                blockAcc = wHigh.fma(FloatVector.fromArray(F, x, xBase + HALF + lane), blockAcc);
            }
            float d = Float.float16ToFloat(data.get(LittleEndian.SHORT, block));
            acc = blockAcc.fma(FloatVector.broadcast(F, d), acc);
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
