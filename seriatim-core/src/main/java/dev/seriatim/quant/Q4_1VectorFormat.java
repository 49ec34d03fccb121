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
 * {@link Q4_1Format} with Vector API dot and dequantize; load only when the Vector API is
 * available. The dot turns codes into weights with one fused {@code q * d + m}; dequantize keeps
 * the scalar's two roundings so its floats are bit-identical.
 */
public final class Q4_1VectorFormat implements BlockFormat {

    private static final VectorSpecies<Float> F = VectorLanes.FLOAT;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    private static final int PARTS = B.length() / F.length();
    private static final int BLOCK = Q4_1Format.BLOCK;
    private static final int BLOCK_BYTES = Q4_1Format.BLOCK_BYTES;
    private static final Q4_1Format SCALAR = new Q4_1Format();

    @Override
    public GgmlType type() {
        return GgmlType.Q4_1;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int xBase = xOffset + b * BLOCK;
            FloatVector d = FloatVector.broadcast(F, HalfTable.at(data, block));
            FloatVector m = FloatVector.broadcast(F, HalfTable.at(data, block + 2));
            ByteVector packed = ByteVector.fromMemorySegment(B, data, block + 4, ByteOrder.LITTLE_ENDIAN);
            ByteVector low = packed.and((byte) 0x0F);
            ByteVector high = ByteShifts.shiftRightAndMask(packed, 4, 0x0F);
            for (int p = 0; p < PARTS; p++) {
                int lane = p * F.length();
                FloatVector wLow = ((FloatVector) low.convertShape(VectorOperators.B2F, F, p)).fma(d, m);
                FloatVector wHigh = ((FloatVector) high.convertShape(VectorOperators.B2F, F, p)).fma(d, m);
                acc = wLow.fma(FloatVector.fromArray(F, x, xBase + lane), acc);
                acc = wHigh.fma(FloatVector.fromArray(F, x, xBase + 16 + lane), acc);
            }
        }
        return VectorLanes.sum(acc);
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] out, int outOffset, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int outBase = outOffset + b * BLOCK;
            float d = HalfTable.at(data, block);
            float m = HalfTable.at(data, block + 2);
            ByteVector packed = ByteVector.fromMemorySegment(B, data, block + 4, ByteOrder.LITTLE_ENDIAN);
            ByteVector low = packed.and((byte) 0x0F);
            ByteVector high = ByteShifts.shiftRightAndMask(packed, 4, 0x0F);
            for (int p = 0; p < PARTS; p++) {
                int lane = outBase + p * F.length();
                ((FloatVector) low.convertShape(VectorOperators.B2F, F, p)).mul(d).add(m).intoArray(out, lane);
                ((FloatVector) high.convertShape(VectorOperators.B2F, F, p)).mul(d).add(m).intoArray(out, lane + 16);
            }
        }
    }

    @Override
    public void quantize(float[] src, int srcOffset, int n, MemorySegment data, long offset) {
        SCALAR.quantize(src, srcOffset, n, data, offset);
    }
}
