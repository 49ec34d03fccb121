package dev.seriatim.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.Arrays;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The stored-lanes sums against the vector one they stand in for, bit for bit. */
class VectorLanesTest {

    @BeforeEach
    void needsTheVectorApi() {
        assumeThat(VectorSupport.available()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void sumStoredRepeatsSumBitForBit(int bits) {
        VectorSpecies<Float> species = VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
        Random random = new Random(bits);
        int lanes = species.length();
        float[] values = new float[lanes];
        float[] stored = new float[lanes];
        for (int round = 0; round < 10_000; round++) {
            for (int i = 0; i < lanes; i++) {
                // magnitudes spread over many binades, so the order of the additions shows in the bits
                values[i] = (float) (random.nextGaussian() * Math.pow(2, random.nextInt(40) - 20));
            }
            FloatVector v = FloatVector.fromArray(species, values, 0);
            v.intoArray(stored, 0);
            assertThat(Float.floatToRawIntBits(VectorLanes.sumStored(stored, lanes)))
                    .as("round %d", round)
                    .isEqualTo(Float.floatToRawIntBits(VectorLanes.sum(v)));
        }
    }

    @Test
    void sumEachRepeatsSumOfEveryStoredVector() {
        VectorSpecies<Float> species = VectorLanes.FLOAT;
        int lanes = species.length();
        Random random = new Random(5);
        float[] stored = new float[8 * lanes];
        float[] out = new float[1 + 3 * 8];
        for (int round = 0; round < 2_000; round++) {
            for (int i = 0; i < stored.length; i++) {
                stored[i] = (float) (random.nextGaussian() * Math.pow(2, random.nextInt(40) - 20));
            }
            int count = 1 + random.nextInt(8);
            Arrays.fill(out, Float.NaN);
            VectorLanes.sumEach(stored, count, out, 1, 3);
            for (int k = 0; k < count; k++) {
                float expected = VectorLanes.sum(FloatVector.fromArray(species, stored, k * lanes));
                assertThat(Float.floatToRawIntBits(out[1 + 3 * k]))
                        .as("round %d vector %d", round, k)
                        .isEqualTo(Float.floatToRawIntBits(expected));
            }
            assertThat(out[0]).isNaN();
        }
    }
}
