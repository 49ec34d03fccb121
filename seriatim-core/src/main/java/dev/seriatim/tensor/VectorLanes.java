package dev.seriatim.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Species choices and reductions shared by the Vector API kernels. Load only when
 * {@link VectorSupport#available()}.
 */
public final class VectorLanes {

    /**
     * The float species kernels use: the platform's preferred one, kept between 128 and 512
     * bits so that narrower byte/short species used for widening loads exist and a 32-value
     * quant block is a whole number of vectors.
     */
    public static final VectorSpecies<Float> FLOAT = pickFloatSpecies();

    private VectorLanes() {}

    /**
     * Sum of the lanes in a fixed pairwise order: the upper half of the vector is added to the
     * lower half until 128 bits remain, then the four lanes are added one by one from lane 0.
     * {@code reduceLanes(ADD)} leaves the order unspecified (it may differ between interpreter
     * and JIT), which would make results depend on warm-up; every step here is a lanewise add of
     * two fixed halves, the same in the interpreter and in compiled code, so every run repeats
     * bit for bit. Halving costs a few shuffles where lane-by-lane extraction of 16 lanes costs
     * dozens of instructions, which matters in the row and attention dots of one token.
     */
    public static float sum(FloatVector v) {
        FloatVector quarter = v;
        if (v.length() == 16) {
            FloatVector half = (FloatVector) v.reinterpretShape(FloatVector.SPECIES_256, 0)
                    .add((FloatVector) v.reinterpretShape(FloatVector.SPECIES_256, 1));
            quarter = (FloatVector) half.reinterpretShape(FloatVector.SPECIES_128, 0)
                    .add((FloatVector) half.reinterpretShape(FloatVector.SPECIES_128, 1));
        } else if (v.length() == 8) {
            quarter = (FloatVector) v.reinterpretShape(FloatVector.SPECIES_128, 0)
                    .add((FloatVector) v.reinterpretShape(FloatVector.SPECIES_128, 1));
        }
        // The lanes are read here rather than in a helper: a row dot's compilation is large
        // enough that C2 stops inlining plain calls near its end (NodeCountInliningCutoff), and
        // a call taking the vector boxes it, one allocation per row. lane() is force-inlined.
        return 0f + quarter.lane(0) + quarter.lane(1) + quarter.lane(2) + quarter.lane(3);
    }

    /**
     * {@link #sum} of a vector of {@code count} lanes (4, 8 or 16) stored to
     * {@code lanes[0, count)}, in the same order and so bit-identical; the array is overwritten.
     * For a row dot too large for C2 to inline {@link #sum} into (NodeCountInliningCutoff),
     * where the call would box the vector on every row: a store and this loop allocate nothing.
     */
    public static float sumStored(float[] lanes, int count) {
        for (int width = count / 2; width >= 4; width /= 2) {
            for (int i = 0; i < width; i++) {
                lanes[i] += lanes[i + width];
            }
        }
        return 0f + lanes[0] + lanes[1] + lanes[2] + lanes[3];
    }

    /**
     * {@link #sum} of each of the {@code count} {@link #FLOAT} vectors stored one after the other
     * from {@code lanes[0]}, into out[outAt + k * outApart] for vector k. For the multi-row
     * kernels, too large for C2 to inline {@link #sum} into: they store their accumulators, and in
     * this small method the vectors are loaded back and summed in registers, allocating nothing.
     */
    public static void sumEach(float[] lanes, int count, float[] out, int outAt, int outApart) {
        int width = FLOAT.length();
        for (int k = 0; k < count; k++) {
            out[outAt + k * outApart] = sum(FloatVector.fromArray(FLOAT, lanes, k * width));
        }
    }

    /** Largest lane; max is exact, so any order gives the same answer. */
    public static float max(FloatVector v) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < v.length(); i++) {
            m = Math.max(m, v.lane(i));
        }
        return m;
    }

    private static VectorSpecies<Float> pickFloatSpecies() {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        if (preferred.vectorBitSize() < 128) {
            return FloatVector.SPECIES_128;
        }
        if (preferred.vectorBitSize() > 512) {
            return FloatVector.SPECIES_512;
        }
        return VectorSpecies.of(float.class, VectorShape.forBitSize(preferred.vectorBitSize()));
    }
}
