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
 * {@link Q4_KFormat} with Vector API dot and dequantize; load only when the Vector API is available.
 *
 * <p>Per 64-value chunk: load 16 code bytes at a time, split low nibbles (first sub-block) from
 * high nibbles (second), widen to floats, turn codes into weights with one fused
 * {@code code * scale - min}, and fused-multiply-add them against x. Low and high sub-blocks
 * accumulate separately, which halves the dependency chain of the adds; the two accumulators are
 * added, then summed lane by lane in {@link VectorLanes#sum}'s fixed order.
 */
public final class Q4_KVectorFormat implements BlockFormat {

    private static final VectorSpecies<Float> F = VectorLanes.FLOAT;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    private static final int PARTS = B.length() / F.length();
    private static final int BLOCK = Q4_KFormat.BLOCK;
    private static final int BLOCK_BYTES = Q4_KFormat.BLOCK_BYTES;
    private static final int QS = Q4_KFormat.QS;
    private static final Q4_KFormat SCALAR = new Q4_KFormat();

    @Override
    public GgmlType type() {
        return GgmlType.Q4_K;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        FloatVector accLow = FloatVector.zero(F);
        FloatVector accHigh = FloatVector.zero(F);
        int blocks = n / BLOCK;
        for (int b = 0; b < blocks; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int xBase = xOffset + b * BLOCK;
            float d = HalfTable.at(data, block);
            float dmin = HalfTable.at(data, block + 2);
            long sLow = KScales.low(data, block + 4);
            int sHigh = KScales.high(data, block + 4);
            for (int c = 0; c < 4; c++) {
                FloatVector lowScale = FloatVector.broadcast(F, d * KScales.scale(sLow, sHigh, 2 * c));
                FloatVector lowMin = FloatVector.broadcast(F, -(dmin * KScales.min(sLow, sHigh, 2 * c)));
                FloatVector highScale = FloatVector.broadcast(F, d * KScales.scale(sLow, sHigh, 2 * c + 1));
                FloatVector highMin = FloatVector.broadcast(F, -(dmin * KScales.min(sLow, sHigh, 2 * c + 1)));
                for (int half = 0; half < 32; half += B.length()) {
                    ByteVector packed = ByteVector.fromMemorySegment(
                            B, data, block + QS + 32 * c + half, ByteOrder.LITTLE_ENDIAN);
                    ByteVector low = packed.and((byte) 0x0F);
                    ByteVector high = ByteShifts.shiftRightAndMask(packed, 4, 0x0F);
                    for (int p = 0; p < PARTS; p++) {
                        int lane = half + p * F.length();
                        FloatVector wLow = ((FloatVector) low.convertShape(VectorOperators.B2F, F, p)).fma(lowScale, lowMin);
                        FloatVector wHigh = ((FloatVector) high.convertShape(VectorOperators.B2F, F, p)).fma(highScale, highMin);
                        accLow = wLow.fma(FloatVector.fromArray(F, x, xBase + 64 * c + lane), accLow);
                        accHigh = wHigh.fma(FloatVector.fromArray(F, x, xBase + 64 * c + 32 + lane), accHigh);
                    }
                }
            }
        }
        return VectorLanes.sum(accLow.add(accHigh));
    }

    /**
     * Same arithmetic as the scalar decoder, {@code (scale * q) - min} with two roundings (no fused
     * multiply-add), so the floats are bit-identical.
     */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] out, int outOffset, int n) {
        int blocks = n / BLOCK;
        for (int b = 0; b < blocks; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int outBase = outOffset + b * BLOCK;
            float d = HalfTable.at(data, block);
            float dmin = HalfTable.at(data, block + 2);
            long sLow = KScales.low(data, block + 4);
            int sHigh = KScales.high(data, block + 4);
            for (int c = 0; c < 4; c++) {
                float lowScale = d * KScales.scale(sLow, sHigh, 2 * c);
                float lowMin = dmin * KScales.min(sLow, sHigh, 2 * c);
                float highScale = d * KScales.scale(sLow, sHigh, 2 * c + 1);
                float highMin = dmin * KScales.min(sLow, sHigh, 2 * c + 1);
                for (int half = 0; half < 32; half += B.length()) {
                    ByteVector packed = ByteVector.fromMemorySegment(
                            B, data, block + QS + 32 * c + half, ByteOrder.LITTLE_ENDIAN);
                    ByteVector low = packed.and((byte) 0x0F);
                    ByteVector high = ByteShifts.shiftRightAndMask(packed, 4, 0x0F);
                    for (int p = 0; p < PARTS; p++) {
                        int lane = outBase + 64 * c + half + p * F.length();
                        ((FloatVector) low.convertShape(VectorOperators.B2F, F, p)).mul(lowScale).sub(lowMin)
                                .intoArray(out, lane);
                        ((FloatVector) high.convertShape(VectorOperators.B2F, F, p)).mul(highScale).sub(highMin)
                                .intoArray(out, lane + 32);
                    }
                }
            }
        }
    }

    @Override
    public void quantize(float[] src, int srcOffset, int n, MemorySegment data, long offset) {
        SCALAR.quantize(src, srcOffset, n, data, offset);
    }
}
