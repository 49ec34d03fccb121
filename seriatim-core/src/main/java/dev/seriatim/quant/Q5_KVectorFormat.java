package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.VectorLanes;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Q5_KFormat} with Vector API dot and dequantize; load only when the Vector API is available.
 *
 * <p>As {@link Q4_KVectorFormat}, with the fifth bit of each code taken from the 32 qh bytes:
 * for chunk {@code c}, bit {@code 2c} (low nibbles) or {@code 2c + 1} (high nibbles) of the qh
 * byte at the same position, moved to bit 4 and or-ed in. The dot does this after widening
 * codes and qh bytes to int lanes (x86 has no byte shifts, and the byte-shift helpers pushed the
 * written-out dot past C2's node budget); dequantize does it on bytes through
 * {@link ByteShifts}. The dot applies scales and mins per sub-block ({@link KScalesVectors}).
 */
public final class Q5_KVectorFormat implements BlockFormat {

    private static final VectorSpecies<Float> F = VectorLanes.FLOAT;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    private static final int PARTS = B.length() / F.length();
    private static final int BLOCK = Q5_KFormat.BLOCK;
    private static final int BLOCK_BYTES = Q5_KFormat.BLOCK_BYTES;
    private static final int QH = Q5_KFormat.QH;
    private static final int QS = Q5_KFormat.QS;
    private static final Q5_KFormat SCALAR = new Q5_KFormat();

    @Override
    public GgmlType type() {
        return GgmlType.Q5_K;
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        float[] out = new float[1];
        dotRows(data, offset, 0, 1, x, xOffset, n, out, 0);
        return out[0];
    }

    /** Each row as {@link #dot}, with the activation sums made once for all rows. */
    @Override
    public void dotRows(MemorySegment data, long offset, long rowBytes, int rows, float[] x, int xOffset, int n,
            float[] out, int outOffset) {
        KScalesVectors.dotRows(Q5_KVectorFormat::rowDot, data, offset, rowBytes, rows, x, xOffset, n, out, outOffset);
    }

    private static float rowDot(MemorySegment data, long offset, float[] x, int xOffset, float[] sums,
            float[] decoded, int n) {
        FloatVector acc = FloatVector.zero(F);
        FloatVector minAcc = FloatVector.zero(F);
        int blocks = n / BLOCK;
        for (int b = 0; b < blocks; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int xBase = xOffset + b * BLOCK;
            KScalesVectors.decode(data, block + 4, HalfTable.at(data, block), HalfTable.at(data, block + 2), decoded);
            minAcc = KScalesVectors.addMinTerm(decoded, sums, KScalesVectors.FLOATS * b, minAcc);
            // the four 32-byte runs of codes written out one after the other, not as a loop: C2
            // kept such a loop rolled, re-deriving the segment's bounds on every pass; each run
            // holds two sub-blocks (low and high nibbles), whose fifth bits are bits 2c and
            // 2c + 1 of the qh bytes for run c, moved to bit 4 here
            long codes = block + QS;
            {
                FloatVector low = FloatVector.zero(F);
                FloatVector high = FloatVector.zero(F);
                for (int half = 0; half < 32; half += B.length()) {
                    ByteVector packed =
                            ByteVector.fromMemorySegment(B, data, codes + half, ByteOrder.LITTLE_ENDIAN);
                    ByteVector fifth =
                            ByteVector.fromMemorySegment(B, data, block + QH + half, ByteOrder.LITTLE_ENDIAN);
                    for (int p = 0; p < PARTS; p++) {
                        int lane = xBase + half + p * F.length();
                        IntVector bytes = (IntVector) packed.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        IntVector bits = (IntVector) fifth.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        low = ((FloatVector) bytes.and(0x0F).or(bits.lanewise(VectorOperators.LSHL, 4).and(0x10))
                                .convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, lane), low);
                        high = ((FloatVector) bytes.lanewise(VectorOperators.LSHR, 4)
                                .or(bits.lanewise(VectorOperators.LSHL, 3).and(0x10))
                                .convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, lane + 32), high);
                    }
                }
                acc = low.fma(FloatVector.broadcast(F, decoded[0]), acc);
                acc = high.fma(FloatVector.broadcast(F, decoded[1]), acc);
            }
            {
                FloatVector low = FloatVector.zero(F);
                FloatVector high = FloatVector.zero(F);
                for (int half = 0; half < 32; half += B.length()) {
                    ByteVector packed =
                            ByteVector.fromMemorySegment(B, data, codes + 32 + half, ByteOrder.LITTLE_ENDIAN);
                    ByteVector fifth =
                            ByteVector.fromMemorySegment(B, data, block + QH + half, ByteOrder.LITTLE_ENDIAN);
                    for (int p = 0; p < PARTS; p++) {
                        int lane = xBase + 64 + half + p * F.length();
                        IntVector bytes = (IntVector) packed.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        IntVector bits = (IntVector) fifth.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        low = ((FloatVector) bytes.and(0x0F).or(bits.lanewise(VectorOperators.LSHL, 2).and(0x10))
                                .convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, lane), low);
                        high = ((FloatVector) bytes.lanewise(VectorOperators.LSHR, 4)
                                .or(bits.lanewise(VectorOperators.LSHL, 1).and(0x10))
                                .convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, lane + 32), high);
                    }
                }
                acc = low.fma(FloatVector.broadcast(F, decoded[2]), acc);
                acc = high.fma(FloatVector.broadcast(F, decoded[3]), acc);
            }
            {
                FloatVector low = FloatVector.zero(F);
                FloatVector high = FloatVector.zero(F);
                for (int half = 0; half < 32; half += B.length()) {
                    ByteVector packed =
                            ByteVector.fromMemorySegment(B, data, codes + 64 + half, ByteOrder.LITTLE_ENDIAN);
                    ByteVector fifth =
                            ByteVector.fromMemorySegment(B, data, block + QH + half, ByteOrder.LITTLE_ENDIAN);
                    for (int p = 0; p < PARTS; p++) {
                        int lane = xBase + 128 + half + p * F.length();
                        IntVector bytes = (IntVector) packed.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        IntVector bits = (IntVector) fifth.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        low = ((FloatVector) bytes.and(0x0F).or(bits.and(0x10))
                                .convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, lane), low);
                        high = ((FloatVector) bytes.lanewise(VectorOperators.LSHR, 4)
                                .or(bits.lanewise(VectorOperators.LSHR, 1).and(0x10))
                                .convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, lane + 32), high);
                    }
                }
                acc = low.fma(FloatVector.broadcast(F, decoded[4]), acc);
                acc = high.fma(FloatVector.broadcast(F, decoded[5]), acc);
            }
            {
                FloatVector low = FloatVector.zero(F);
                FloatVector high = FloatVector.zero(F);
                for (int half = 0; half < 32; half += B.length()) {
                    ByteVector packed =
                            ByteVector.fromMemorySegment(B, data, codes + 96 + half, ByteOrder.LITTLE_ENDIAN);
                    ByteVector fifth =
                            ByteVector.fromMemorySegment(B, data, block + QH + half, ByteOrder.LITTLE_ENDIAN);
                    for (int p = 0; p < PARTS; p++) {
                        int lane = xBase + 192 + half + p * F.length();
                        IntVector bytes = (IntVector) packed.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        IntVector bits = (IntVector) fifth.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        low = ((FloatVector) bytes.and(0x0F).or(bits.lanewise(VectorOperators.LSHR, 2).and(0x10))
                                .convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, lane), low);
                        high = ((FloatVector) bytes.lanewise(VectorOperators.LSHR, 4)
                                .or(bits.lanewise(VectorOperators.LSHR, 3).and(0x10))
                                .convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, lane + 32), high);
                    }
                }
                acc = low.fma(FloatVector.broadcast(F, decoded[6]), acc);
                acc = high.fma(FloatVector.broadcast(F, decoded[7]), acc);
            }
        }
        // stored and summed from memory: this method is too large for C2 to inline VectorLanes.sum
        acc.sub(minAcc).intoArray(decoded, 0);
        return VectorLanes.sumStored(decoded, F.length());
    }

    /**
     * Same arithmetic as the scalar decoder, {@code (scale * q) - min} with two roundings (no fused
     * multiply-add), so the floats are bit-identical.
     */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] out, int outOffset, int n) {
        int blocks = n / BLOCK;
        float[] decoded = KScalesVectors.decodedScratch(KScalesVectors.FLOATS);
        for (int b = 0; b < blocks; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            int outBase = outOffset + b * BLOCK;
            KScalesVectors.decode(data, block + 4, HalfTable.at(data, block), HalfTable.at(data, block + 2), decoded);
            for (int c = 0; c < 4; c++) {
                float lowScale = decoded[2 * c];
                float lowMin = decoded[8 + 2 * c];
                float highScale = decoded[2 * c + 1];
                float highMin = decoded[8 + 2 * c + 1];
                for (int half = 0; half < 32; half += B.length()) {
                    ByteVector packed = ByteVector.fromMemorySegment(
                            B, data, block + QS + 32 * c + half, ByteOrder.LITTLE_ENDIAN);
                    ByteVector bits = ByteVector.fromMemorySegment(
                            B, data, block + QH + half, ByteOrder.LITTLE_ENDIAN)
                            // shifted as ints (see ByteShifts): only bits 0 and 1 are used below
                            .reinterpretAsInts().lanewise(VectorOperators.LSHR, 2 * c).reinterpretAsBytes();
                    ByteVector low = packed.and((byte) 0x0F).or(ByteShifts.maskAndShiftLeft(bits, 1, 4));
                    ByteVector high = ByteShifts.shiftRightAndMask(packed, 4, 0x0F)
                            .or(ByteShifts.maskAndShiftLeft(bits, 2, 3));
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
