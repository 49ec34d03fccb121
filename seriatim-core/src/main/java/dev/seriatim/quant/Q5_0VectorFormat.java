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
 * {@link Q5_0Format} with Vector API dot and dequantize; load only when the Vector API is available.
 *
 * <p>Per block: split the 16 packed bytes into low and high nibbles, widen to floats and add the
 * fifth bits as 0 or 16 ({@link FifthBits}); codes are small integers, exact in float, so
 * dequantize's floats are bit-identical to the scalar ones.
 */
public final class Q5_0VectorFormat implements BlockFormat {

    private static final VectorSpecies<Float> F = VectorLanes.FLOAT;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    private static final int PARTS = B.length() / F.length();
    private static final int BLOCK = Q5_0Format.BLOCK;
    private static final int BLOCK_BYTES = Q5_0Format.BLOCK_BYTES;
    private static final Q5_0Format SCALAR = new Q5_0Format();

    @Override
    public GgmlType type() {
        return GgmlType.Q5_0;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int xBase = xOffset + b * BLOCK;
            int qh = data.get(LittleEndian.INT, block + 2);
            ByteVector packed = ByteVector.fromMemorySegment(B, data, block + 6, ByteOrder.LITTLE_ENDIAN);
            ByteVector low = packed.and((byte) 0x0F);
            ByteVector high = ByteShifts.shiftRightAndMask(packed, 4, 0x0F);
            FloatVector blockAcc = FloatVector.zero(F);
            for (int p = 0; p < PARTS; p++) {
                int lane = p * F.length();
                FloatVector qLow = ((FloatVector) low.convertShape(VectorOperators.B2F, F, p))
                        .add(FifthBits.sixteens(qh, lane)).sub(16f);
                FloatVector qHigh = ((FloatVector) high.convertShape(VectorOperators.B2F, F, p))
                        .add(FifthBits.sixteens(qh, 16 + lane)).sub(16f);
                FloatVector xLow = FloatVector.fromArray(F, x, xBase + lane);
                FloatVector xHigh = FloatVector.fromArray(F, x, xBase + 16 + lane);
                blockAcc = qLow.fma(xLow, blockAcc);
                blockAcc = qHigh.fma(xHigh, blockAcc);
            }
            acc = blockAcc.fma(FloatVector.broadcast(F, HalfTable.at(data, block)), acc);
        }
        return VectorLanes.sum(acc);
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] out, int outOffset, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int outBase = outOffset + b * BLOCK;
            float d = HalfTable.at(data, block);
            int qh = data.get(LittleEndian.INT, block + 2);
            ByteVector packed = ByteVector.fromMemorySegment(B, data, block + 6, ByteOrder.LITTLE_ENDIAN);
            ByteVector low = packed.and((byte) 0x0F);
            ByteVector high = ByteShifts.shiftRightAndMask(packed, 4, 0x0F);
            for (int p = 0; p < PARTS; p++) {
                int lane = p * F.length();
                ((FloatVector) low.convertShape(VectorOperators.B2F, F, p)).add(FifthBits.sixteens(qh, lane)).sub(16f)
                        .mul(d).intoArray(out, outBase + lane);
                ((FloatVector) high.convertShape(VectorOperators.B2F, F, p)).add(FifthBits.sixteens(qh, 16 + lane)).sub(16f)
                        .mul(d).intoArray(out, outBase + 16 + lane);
            }
        }
    }

    @Override
    public void quantize(float[] src, int srcOffset, int n, MemorySegment data, long offset) {
        SCALAR.quantize(src, srcOffset, n, data, offset);
    }
}
