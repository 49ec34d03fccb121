package dev.seriatim.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The softmax exponential against {@code Math.exp} in double precision over its whole domain. */
class VectorExpTest {

    @BeforeEach
    void needsTheVectorApi() {
        assumeThat(VectorSupport.available()).isTrue();
    }

    @Test
    void relativeErrorStaysNearFloatRounding() {
        Random random = new Random(3);
        int lanes = VectorLanes.FLOAT.length();
        float[] x = new float[lanes];
        float[] e = new float[lanes];
        double worst = 0;
        for (int round = 0; round < 20_000; round++) {
            for (int i = 0; i < lanes; i++) {
                x[i] = round % 2 == 0 ? (float) (-87 * random.nextDouble()) : (float) (-2 * random.nextDouble());
            }
            x[0] = round == 0 ? 0f : x[0];
            VectorExp.exp(FloatVector.fromArray(VectorLanes.FLOAT, x, 0)).intoArray(e, 0);
            for (int i = 0; i < lanes; i++) {
                double exact = Math.exp(x[i]);
                worst = Math.max(worst, Math.abs(e[i] - exact) / exact);
            }
        }
        assertThat(worst).isLessThan(3e-7); // a float carries 6e-8; Math.exp rounded to float errs by that
    }

    @Test
    void maskedAndVeryNegativeArgumentsGiveZeroAndZeroGivesOne() {
        int lanes = VectorLanes.FLOAT.length();
        float[] x = new float[lanes];
        float[] e = new float[lanes];
        java.util.Arrays.fill(x, Float.NEGATIVE_INFINITY);
        x[1] = -87.5f;
        x[2] = 0f;
        x[3] = -86.9f;
        VectorExp.exp(FloatVector.fromArray(VectorLanes.FLOAT, x, 0)).intoArray(e, 0);
        assertThat(e[0]).isZero();
        assertThat(e[1]).isZero();
        assertThat(e[2]).isEqualTo(1f);
        assertThat((double) e[3]).isCloseTo(Math.exp(x[3]), org.assertj.core.data.Percentage.withPercentage(1e-4));
    }
}
