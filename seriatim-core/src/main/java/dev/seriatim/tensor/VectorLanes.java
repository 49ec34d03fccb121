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
     * Sum of the lanes, added one by one from lane 0 upwards. {@code reduceLanes(ADD)} leaves
     * the order unspecified (it may differ between interpreter and JIT), which would make
     * results depend on warm-up; a fixed order keeps every run bit-identical.
     */
    public static float sum(FloatVector v) {
        float s = 0f;
        for (int i = 0; i < v.length(); i++) {
            s += v.lane(i);
        }
        return s;
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
