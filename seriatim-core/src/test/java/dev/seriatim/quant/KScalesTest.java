package dev.seriatim.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Packing and both ways of unpacking the 6-bit scales and mins agree on random values. */
class KScalesTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void packThenUnpackGivesTheValuesBack(int seed) {
        Random random = new Random(seed);
        int[] scales = new int[8];
        int[] mins = new int[8];
        for (int j = 0; j < 8; j++) {
            scales[j] = random.nextInt(64);
            mins[j] = random.nextInt(64);
        }
        byte[] bytes = new byte[3 + 12];
        MemorySegment data = MemorySegment.ofArray(bytes);
        KScales.pack(scales, mins, data, 3);
        long low = KScales.low(data, 3);
        int high = KScales.high(data, 3);
        for (int j = 0; j < 8; j++) {
            assertThat(KScales.scale(data, 3, j)).as("scale %d", j).isEqualTo(scales[j]);
            assertThat(KScales.min(data, 3, j)).as("min %d", j).isEqualTo(mins[j]);
            assertThat(KScales.scale(low, high, j)).as("scale %d from words", j).isEqualTo(scales[j]);
            assertThat(KScales.min(low, high, j)).as("min %d from words", j).isEqualTo(mins[j]);
        }
    }
}
