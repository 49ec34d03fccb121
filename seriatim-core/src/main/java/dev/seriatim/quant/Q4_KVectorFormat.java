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
 * {@link Q4_KFormat} with Vector API dot and dequantize; load only when the Vector API is available.
 *
 * <p>Dot: the scale and min are applied per sub-block, not per value, as
 * {@code (d sc) sum(q x) - (dmin m) sum(x)}. Each 16 code bytes are widened to int lanes once;
 * the low nibbles (one sub-block) and the high nibbles (the next) are masked and shifted out of
 * the same lanes, converted and multiply-added against x into one accumulator per sub-block,
 * which then enters the row's accumulator times its scale. The scales and mins of a super-block
 * are decoded together and the activation sums are made once per call ({@link KScalesVectors}),
 * so the min terms of a super-block are one lanewise multiply-add over 16 floats.
 *
 * <p>With 16-lane vectors, rows go two at a time through one loop over their super-blocks:
 * each activation vector loaded feeds both rows, and the loop's entry (where C2 sets up the
 * segment bounds of every access, tens of instructions each) is paid once per pair. The two
 * rows are half a call's rows apart, so that from memory they are two streams. Each row's sums
 * keep the order the one-row dot gives, so pairing changes no bits.
 */
public final class Q4_KVectorFormat implements BlockFormat {

    private static final VectorSpecies<Float> F = VectorLanes.FLOAT;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    private static final int PARTS = B.length() / F.length();
    private static final int BLOCK = Q4_KFormat.BLOCK;
    private static final int BLOCK_BYTES = Q4_KFormat.BLOCK_BYTES;
    private static final int QS = Q4_KFormat.QS;
    private static final int FLOATS = KScalesVectors.FLOATS;
    private static final Q4_KFormat SCALAR = new Q4_KFormat();
    /**
     * Whether rows go in pairs: with 16-lane vectors a pair measured 12-20% faster than one row
     * at a time on rows of 768 to 8192; at 8 and 4 lanes (more vectors per run, twice the live
     * registers) it measured up to 9% slower, so narrower vectors keep the one-row loop.
     */
    private static final boolean PAIRS = F.length() >= 16;

    @Override
    public GgmlType type() {
        return GgmlType.Q4_K;
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
        if (!PAIRS) {
            KScalesVectors.dotRows(Q4_KVectorFormat::rowDot, data, offset, rowBytes, rows, x, xOffset, n, out,
                    outOffset);
            return;
        }
        float[] sums = KScalesVectors.subBlockSums(x, xOffset, n);
        float[] decoded = KScalesVectors.decodedScratch(2 * FLOATS);
        // row r goes with row r + half: two sequential streams, which from memory measured
        // 11-21% faster than neighbouring rows on rows of 2048 (9% on 8192), and the same in cache
        int half = rows / 2;
        for (int r = 0; r < half; r++) {
            pairDot(data, offset + r * rowBytes, half * rowBytes, x, xOffset, sums, decoded, n, out, outOffset + r,
                    outOffset + r + half);
        }
        if (2 * half < rows) {
            // a lone last row goes through as its own partner, one result kept
            int last = rows - 1;
            pairDot(data, offset + last * rowBytes, 0, x, xOffset, sums, decoded, n, out, outOffset + last, -1);
        }
    }

    /**
     * The dots of the rows at {@code offset} and {@code offset + apart} into out[at] and, unless
     * {@code secondAt} is negative, out[secondAt]; decoded holds both rows' scales, the second's
     * from FLOATS.
     */
    private static void pairDot(MemorySegment data, long offset, long apart, float[] x, int xOffset, float[] sums,
            float[] decoded, int n, float[] out, int at, int secondAt) {
        FloatVector accA = FloatVector.zero(F);
        FloatVector minA = FloatVector.zero(F);
        FloatVector accB = FloatVector.zero(F);
        FloatVector minB = FloatVector.zero(F);
        int blocks = n / BLOCK;
        for (int b = 0; b < blocks; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            long codes = block + QS;
            int xAt = xOffset + b * BLOCK;
            int sumsAt = FLOATS * b;
            KScalesVectors.decode(data, block + 4, HalfTable.at(data, block), HalfTable.at(data, block + 2), decoded, 0);
            KScalesVectors.decode(data, block + apart + 4, HalfTable.at(data, block + apart),
                    HalfTable.at(data, block + apart + 2), decoded, FLOATS);
            minA = KScalesVectors.addMinTerm(decoded, 0, sums, sumsAt, minA);
            minB = KScalesVectors.addMinTerm(decoded, FLOATS, sums, sumsAt, minB);
            // the four 32-byte runs of codes written out one after the other, not as a loop: C2
            // kept such a loop rolled, re-deriving the segment's bounds on every pass (rows of
            // 2048 ran 25-45% slower); each run holds two sub-blocks, low and high nibbles
            {
                FloatVector lowA = FloatVector.zero(F);
                FloatVector highA = FloatVector.zero(F);
                FloatVector lowB = FloatVector.zero(F);
                FloatVector highB = FloatVector.zero(F);
                for (int half = 0; half < 32; half += B.length()) {
                    ByteVector packedA =
                            ByteVector.fromMemorySegment(B, data, codes + half, ByteOrder.LITTLE_ENDIAN);
                    ByteVector packedB =
                            ByteVector.fromMemorySegment(B, data, codes + apart + half, ByteOrder.LITTLE_ENDIAN);
                    for (int p = 0; p < PARTS; p++) {
                        int lane = xAt + half + p * F.length();
                        FloatVector xLow = FloatVector.fromArray(F, x, lane);
                        FloatVector xHigh = FloatVector.fromArray(F, x, lane + 32);
                        IntVector bytesA = (IntVector) packedA.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        IntVector bytesB = (IntVector) packedB.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        lowA = ((FloatVector) bytesA.and(0x0F).convert(VectorOperators.I2F, 0)).fma(xLow, lowA);
                        highA = ((FloatVector) bytesA.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                                .fma(xHigh, highA);
                        lowB = ((FloatVector) bytesB.and(0x0F).convert(VectorOperators.I2F, 0)).fma(xLow, lowB);
                        highB = ((FloatVector) bytesB.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                                .fma(xHigh, highB);
                    }
                }
                accA = lowA.fma(FloatVector.broadcast(F, decoded[0]), accA);
                accA = highA.fma(FloatVector.broadcast(F, decoded[1]), accA);
                accB = lowB.fma(FloatVector.broadcast(F, decoded[FLOATS + 0]), accB);
                accB = highB.fma(FloatVector.broadcast(F, decoded[FLOATS + 1]), accB);
            }
            {
                FloatVector lowA = FloatVector.zero(F);
                FloatVector highA = FloatVector.zero(F);
                FloatVector lowB = FloatVector.zero(F);
                FloatVector highB = FloatVector.zero(F);
                for (int half = 0; half < 32; half += B.length()) {
                    ByteVector packedA =
                            ByteVector.fromMemorySegment(B, data, codes + 32 + half, ByteOrder.LITTLE_ENDIAN);
                    ByteVector packedB =
                            ByteVector.fromMemorySegment(B, data, codes + apart + 32 + half, ByteOrder.LITTLE_ENDIAN);
                    for (int p = 0; p < PARTS; p++) {
                        int lane = xAt + 64 + half + p * F.length();
                        FloatVector xLow = FloatVector.fromArray(F, x, lane);
                        FloatVector xHigh = FloatVector.fromArray(F, x, lane + 32);
                        IntVector bytesA = (IntVector) packedA.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        IntVector bytesB = (IntVector) packedB.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        lowA = ((FloatVector) bytesA.and(0x0F).convert(VectorOperators.I2F, 0)).fma(xLow, lowA);
                        highA = ((FloatVector) bytesA.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                                .fma(xHigh, highA);
                        lowB = ((FloatVector) bytesB.and(0x0F).convert(VectorOperators.I2F, 0)).fma(xLow, lowB);
                        highB = ((FloatVector) bytesB.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                                .fma(xHigh, highB);
                    }
                }
                accA = lowA.fma(FloatVector.broadcast(F, decoded[2]), accA);
                accA = highA.fma(FloatVector.broadcast(F, decoded[3]), accA);
                accB = lowB.fma(FloatVector.broadcast(F, decoded[FLOATS + 2]), accB);
                accB = highB.fma(FloatVector.broadcast(F, decoded[FLOATS + 3]), accB);
            }
            {
                FloatVector lowA = FloatVector.zero(F);
                FloatVector highA = FloatVector.zero(F);
                FloatVector lowB = FloatVector.zero(F);
                FloatVector highB = FloatVector.zero(F);
                for (int half = 0; half < 32; half += B.length()) {
                    ByteVector packedA =
                            ByteVector.fromMemorySegment(B, data, codes + 64 + half, ByteOrder.LITTLE_ENDIAN);
                    ByteVector packedB =
                            ByteVector.fromMemorySegment(B, data, codes + apart + 64 + half, ByteOrder.LITTLE_ENDIAN);
                    for (int p = 0; p < PARTS; p++) {
                        int lane = xAt + 128 + half + p * F.length();
                        FloatVector xLow = FloatVector.fromArray(F, x, lane);
                        FloatVector xHigh = FloatVector.fromArray(F, x, lane + 32);
                        IntVector bytesA = (IntVector) packedA.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        IntVector bytesB = (IntVector) packedB.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        lowA = ((FloatVector) bytesA.and(0x0F).convert(VectorOperators.I2F, 0)).fma(xLow, lowA);
                        highA = ((FloatVector) bytesA.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                                .fma(xHigh, highA);
                        lowB = ((FloatVector) bytesB.and(0x0F).convert(VectorOperators.I2F, 0)).fma(xLow, lowB);
                        highB = ((FloatVector) bytesB.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                                .fma(xHigh, highB);
                    }
                }
                accA = lowA.fma(FloatVector.broadcast(F, decoded[4]), accA);
                accA = highA.fma(FloatVector.broadcast(F, decoded[5]), accA);
                accB = lowB.fma(FloatVector.broadcast(F, decoded[FLOATS + 4]), accB);
                accB = highB.fma(FloatVector.broadcast(F, decoded[FLOATS + 5]), accB);
            }
            {
                FloatVector lowA = FloatVector.zero(F);
                FloatVector highA = FloatVector.zero(F);
                FloatVector lowB = FloatVector.zero(F);
                FloatVector highB = FloatVector.zero(F);
                for (int half = 0; half < 32; half += B.length()) {
                    ByteVector packedA =
                            ByteVector.fromMemorySegment(B, data, codes + 96 + half, ByteOrder.LITTLE_ENDIAN);
                    ByteVector packedB =
                            ByteVector.fromMemorySegment(B, data, codes + apart + 96 + half, ByteOrder.LITTLE_ENDIAN);
                    for (int p = 0; p < PARTS; p++) {
                        int lane = xAt + 192 + half + p * F.length();
                        FloatVector xLow = FloatVector.fromArray(F, x, lane);
                        FloatVector xHigh = FloatVector.fromArray(F, x, lane + 32);
                        IntVector bytesA = (IntVector) packedA.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        IntVector bytesB = (IntVector) packedB.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        lowA = ((FloatVector) bytesA.and(0x0F).convert(VectorOperators.I2F, 0)).fma(xLow, lowA);
                        highA = ((FloatVector) bytesA.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                                .fma(xHigh, highA);
                        lowB = ((FloatVector) bytesB.and(0x0F).convert(VectorOperators.I2F, 0)).fma(xLow, lowB);
                        highB = ((FloatVector) bytesB.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                                .fma(xHigh, highB);
                    }
                }
                accA = lowA.fma(FloatVector.broadcast(F, decoded[6]), accA);
                accA = highA.fma(FloatVector.broadcast(F, decoded[7]), accA);
                accB = lowB.fma(FloatVector.broadcast(F, decoded[FLOATS + 6]), accB);
                accB = highB.fma(FloatVector.broadcast(F, decoded[FLOATS + 7]), accB);
            }
        }
        // stored and summed by VectorLanes.sumEach: this method is too large for C2 to inline
        // VectorLanes.sum, and a call taking a vector would box it per row (summed there in
        // vector registers: 2.4% of a 1B-shape Q4_K_M token's samples, against 3.6% for
        // VectorLanes.sumStored, which sums a stored vector lane by lane from memory)
        accA.sub(minA).intoArray(decoded, 0);
        accB.sub(minB).intoArray(decoded, F.length());
        VectorLanes.sumEach(decoded, secondAt >= 0 ? 2 : 1, out, at, secondAt - at);
    }

    private static float rowDot(MemorySegment data, long offset, float[] x, int xOffset, float[] sums,
            float[] decoded, int n) {
        FloatVector acc = FloatVector.zero(F);
        FloatVector minAcc = FloatVector.zero(F);
        int blocks = n / BLOCK;
        for (int b = 0; b < blocks; b++) {
            long block = offset + (long) b * BLOCK_BYTES;
            long codes = block + QS;
            int xAt = xOffset + b * BLOCK;
            KScalesVectors.decode(data, block + 4, HalfTable.at(data, block), HalfTable.at(data, block + 2), decoded);
            minAcc = KScalesVectors.addMinTerm(decoded, sums, KScalesVectors.FLOATS * b, minAcc);
            // the four 32-byte runs of codes written out one after the other, not as a loop: C2
            // kept such a loop rolled, re-deriving the segment's bounds on every pass (rows of
            // 2048 ran 25-45% slower; rows of 768, three super-blocks, about 10% faster); each
            // run holds two sub-blocks, low and high nibbles
            {
                FloatVector low = FloatVector.zero(F);
                FloatVector high = FloatVector.zero(F);
                for (int half = 0; half < 32; half += B.length()) {
                    ByteVector packed =
                            ByteVector.fromMemorySegment(B, data, codes + half, ByteOrder.LITTLE_ENDIAN);
                    for (int p = 0; p < PARTS; p++) {
                        int lane = xAt + half + p * F.length();
                        IntVector bytes = (IntVector) packed.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        low = ((FloatVector) bytes.and(0x0F).convert(VectorOperators.I2F, 0))
                                .fma(FloatVector.fromArray(F, x, lane), low);
                        high = ((FloatVector) bytes.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                                .fma(FloatVector.fromArray(F, x, lane + 32), high);
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
                    for (int p = 0; p < PARTS; p++) {
                        int lane = xAt + 64 + half + p * F.length();
                        IntVector bytes = (IntVector) packed.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        low = ((FloatVector) bytes.and(0x0F).convert(VectorOperators.I2F, 0))
                                .fma(FloatVector.fromArray(F, x, lane), low);
                        high = ((FloatVector) bytes.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                                .fma(FloatVector.fromArray(F, x, lane + 32), high);
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
                    for (int p = 0; p < PARTS; p++) {
                        int lane = xAt + 128 + half + p * F.length();
                        IntVector bytes = (IntVector) packed.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        low = ((FloatVector) bytes.and(0x0F).convert(VectorOperators.I2F, 0))
                                .fma(FloatVector.fromArray(F, x, lane), low);
                        high = ((FloatVector) bytes.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                                .fma(FloatVector.fromArray(F, x, lane + 32), high);
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
                    for (int p = 0; p < PARTS; p++) {
                        int lane = xAt + 192 + half + p * F.length();
                        IntVector bytes = (IntVector) packed.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        low = ((FloatVector) bytes.and(0x0F).convert(VectorOperators.I2F, 0))
                                .fma(FloatVector.fromArray(F, x, lane), low);
                        high = ((FloatVector) bytes.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                                .fma(FloatVector.fromArray(F, x, lane + 32), high);
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
        float[] decoded = KScalesVectors.decodedScratch(FLOATS);
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
