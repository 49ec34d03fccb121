package dev.seriatim.quant;

import dev.seriatim.tensor.GgmlType;
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
 * in pairs ({@link #dotRows}); {@code dot} is the pair kernel with one row twice, so the bits are
 * the same either way.
 */
public final class Q8_0VectorFormat implements BlockFormat {

    private static final VectorSpecies<Float> F = VectorLanes.FLOAT;
    /** Bytes per load: one float vector's worth, but at least 64 bits (the smallest shape). */
    private static final VectorSpecies<Byte> B =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, F.length() * 8)));
    /** Float vectors one byte load widens into. */
    private static final int PARTS = B.length() / F.length();
    private static final int BLOCK = Q8_0Format.BLOCK;
    private static final int BLOCK_BYTES = Q8_0Format.BLOCK_BYTES;
    private static final Q8_0Format SCALAR = new Q8_0Format();

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
     * one row at a time reached 5-6.5 (one thread, 142 MB of weights, alternating runs).
     */
    @Override
    public void dotRows(MemorySegment data, long offset, long rowBytes, int rows, float[] x, int xOffset, int n,
            float[] out, int outOffset) {
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
