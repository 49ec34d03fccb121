package dev.seriatim.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.Arrays;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The stored-lanes sum against the vector one it stands in for, bit for bit, at every width. */
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
        float[] group = new float[3 * lanes];
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
            // the same vector stored between two others, as the multi-row kernels store theirs
            int from = lanes * (round % 3);
            Arrays.fill(group, Float.NaN);
            v.intoArray(group, from);
            assertThat(Float.floatToRawIntBits(VectorLanes.sumStored(group, from, lanes)))
                    .as("round %d at %d", round, from)
                    .isEqualTo(Float.floatToRawIntBits(VectorLanes.sum(v)));
        }
    }
}
