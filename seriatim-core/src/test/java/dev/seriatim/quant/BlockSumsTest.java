package dev.seriatim.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockSumsTest {

    @ParameterizedTest(name = "count {0}")
    @ValueSource(ints = {4, 16, 32, 256})
    void sumsTheRunAndNothingAroundIt(int count) {
        Random random = new Random(count);
        float[] x = new float[count + 10];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        double expected = 0;
        double magnitude = 0;
        for (int i = 5; i < 5 + count; i++) {
            expected += x[i];
            magnitude += Math.abs(x[i]);
        }
        assertThat((double) BlockSums.of(x, 5, count)).isCloseTo(expected, within(count * 0x1p-24 * magnitude));
    }

    @ParameterizedTest(name = "count {0}")
    @ValueSource(ints = {4, 32})
    void exactOnSmallIntegers(int count) {
        float[] x = new float[count];
        int expected = 0;
        for (int i = 0; i < count; i++) {
            x[i] = i * 3 - 40;
            expected += i * 3 - 40;
        }
        assertThat(BlockSums.of(x, 0, count)).isEqualTo((float) expected);
    }
}
