package dev.seriatim.quant;

import dev.seriatim.tensor.ThreadScratch;
import dev.seriatim.tensor.VectorLanes;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the Q4_K and Q5_K vector dots need besides the codes: a super-block's 8 scales and 8 mins
 * ({@link KScales}) as floats already multiplied by {@code d} and {@code dmin} ({@link #decode},
 * which their dequantize uses too), and the activations' sum over each 32-value sub-block, which
 * the mins multiply. Load only when the Vector API is available.
 *
 * <p>Both are laid out as 16 floats per super-block, scales (or zeros) in the first 8 and mins
 * (or sums) in the last 8, so that the min term of a whole super-block is a lanewise
 * multiply-add of the two (one vector at 512 bits, one or two at narrower widths). The 6-bit
 * fields are unpacked with integer masks on the two words that hold them into 16 bytes and
 * widened in one go: taking them one by one costs a scalar
 * int-to-float conversion each, and those run on the same ports as the vector work.
 */
final class KScalesVectors {

    static final int FLOATS = 16;

    private static final VectorSpecies<Float> F = VectorLanes.FLOAT;
    private static final int PARTS = FLOATS / F.length();
    /** The lanes of a float vector that hold mins when one vector spans all 16 (512 bits). */
    private static final VectorMask<Float> MIN_LANES =
            VectorMask.fromLong(F, F.length() == FLOATS ? 0xFF00L : 0L);
    private static final ThreadScratch SUMS = new ThreadScratch();
    /** Decoded scales and mins of a super-block (or of a pair's two), rewritten for every super-block. */
    private static final ThreadScratch DECODED = new ThreadScratch();

    /** The row dot of a format built on these scales, given the call's sums and scratch. */
    @FunctionalInterface
    interface RowDot {
        float dot(MemorySegment data, long offset, float[] x, int xOffset, float[] sums, float[] decoded, int n);
    }

    private KScalesVectors() {}

    /**
     * {@link BlockFormat#dotRows} for a Q4_K or Q5_K row dot taking one row at a time: the
     * activation sums are made once for all rows.
     */
    static void dotRows(RowDot kernel, MemorySegment data, long offset, long rowBytes, int rows, float[] x,
            int xOffset, int n, float[] out, int outOffset) {
        float[] sums = subBlockSums(x, xOffset, n);
        float[] decoded = decodedScratch(FLOATS);
        for (int r = 0; r < rows; r++) {
            out[outOffset + r] = kernel.dot(data, offset + r * rowBytes, x, xOffset, sums, decoded, n);
        }
    }

    /** This thread's scratch for decoded scales and mins ({@link #decode}), at least {@code floats} long. */
    static float[] decodedScratch(int floats) {
        return DECODED.atLeast(floats);
    }

    /**
     * Writes {@code d * sc[j]} to out[j] and {@code dmin * m[j]} to out[8 + j] for the 12
     * packed bytes at {@code at}.
     */
    static void decode(MemorySegment data, long at, float d, float dmin, float[] out) {
        decode(data, at, d, dmin, out, 0);
    }

    /** As {@link #decode(MemorySegment, long, float, float, float[])}, written from out[outOffset]. */
    static void decode(MemorySegment data, long at, float d, float dmin, float[] out, int outOffset) {
        long low = KScales.low(data, at);
        int high = KScales.high(data, at);
        int lowScales = (int) low & 0x3F3F3F3F;
        int lowMins = (int) (low >>> 32) & 0x3F3F3F3F;
        int highScales = (high & 0x0F0F0F0F) | (((int) low >>> 2) & 0x30303030);
        int highMins = ((high >>> 4) & 0x0F0F0F0F) | (((int) (low >>> 32) >>> 2) & 0x30303030);
        ByteVector fields = LongVector.zero(LongVector.SPECIES_128)
                .withLane(0, (lowScales & 0xFFFFFFFFL) | ((long) highScales << 32))
                .withLane(1, (lowMins & 0xFFFFFFFFL) | ((long) highMins << 32))
                .reinterpretAsBytes();
        FloatVector scale = FloatVector.broadcast(F, d);
        FloatVector min = FloatVector.broadcast(F, dmin);
        for (int p = 0; p < PARTS; p++) {
            int lane = p * F.length();
            FloatVector factor = lane >= 8 ? min : lane + F.length() <= 8 ? scale : scale.blend(min, MIN_LANES);
            ((FloatVector) fields.convertShape(VectorOperators.B2F, F, p)).mul(factor).intoArray(out, outOffset + lane);
        }
    }

    /**
     * This thread's scratch with, per super-block b, zeros at [16b, 16b + 8) and the sums of x
     * over its 8 sub-blocks at [16b + 8, 16b + 16); its contents are overwritten by the next call
     * on this thread.
     */
    static float[] subBlockSums(float[] x, int xOffset, int n) {
        int blocks = n / 256;
        float[] sums = SUMS.atLeast(FLOATS * blocks);
        for (int b = 0; b < blocks; b++) {
            for (int j = 0; j < 8; j++) {
                sums[FLOATS * b + j] = 0f;
                sums[FLOATS * b + 8 + j] = BlockSums.of(x, xOffset + 256 * b + 32 * j, 32);
            }
        }
        return sums;
    }

    /**
     * Adds to {@code acc} the lanewise products of a super-block's decoded scales and mins with
     * its 16 floats of sums: lane by lane, the super-block's min term (the scale lanes meet zeros).
     */
    static FloatVector addMinTerm(float[] decoded, float[] sums, int sumsOffset, FloatVector acc) {
        return addMinTerm(decoded, 0, sums, sumsOffset, acc);
    }

    /** As {@link #addMinTerm(float[], float[], int, FloatVector)} for scales and mins decoded from decoded[decodedOffset]. */
    static FloatVector addMinTerm(float[] decoded, int decodedOffset, float[] sums, int sumsOffset, FloatVector acc) {
        for (int p = 0; p < PARTS; p++) {
            int lane = p * F.length();
            if (lane + F.length() > 8) {
                acc = FloatVector.fromArray(F, decoded, decodedOffset + lane)
                        .fma(FloatVector.fromArray(F, sums, sumsOffset + lane), acc);
            }
        }
        return acc;
    }
}
