package dev.seriatim.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.tensor.VectorSupport;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KScalesVectorsTest {

    @BeforeAll
    static void needsVectorApi() {
        Assumptions.assumeTrue(VectorSupport.available(), "Vector API not available");
    }

    static IntStream seeds() {
        return IntStream.range(0, 2000);
    }

    /** Any 12 packed bytes decode to what the field-by-field scalar decoder gives, times d and dmin. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void decodeMatchesTheScalarFields(int seed) {
        Random random = new Random(seed);
        byte[] bytes = new byte[3 + KScales.BYTES + 4];
        random.nextBytes(bytes);
        MemorySegment data = MemorySegment.ofArray(bytes);
        float d = (float) random.nextGaussian();
        float dmin = (float) random.nextGaussian();
        float[] out = new float[KScalesVectors.FLOATS + 1];
        out[KScalesVectors.FLOATS] = 42f;
        KScalesVectors.decode(data, 3, d, dmin, out);
        for (int j = 0; j < KScales.SUB_BLOCKS; j++) {
            assertThat(out[j]).as("scale %d", j).isEqualTo(d * KScales.scale(data, 3, j));
            assertThat(out[8 + j]).as("min %d", j).isEqualTo(dmin * KScales.min(data, 3, j));
        }
        assertThat(out[KScalesVectors.FLOATS]).isEqualTo(42f);
    }

    @Test
    void subBlockSumsHoldZerosThenTheSumOfEachSubBlock() {
        float[] x = new float[3 + 512];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 7 - 3; // small integers: every order of adding gives the exact sum
        }
        float[] sums = KScalesVectors.subBlockSums(x, 3, 512);
        for (int b = 0; b < 2; b++) {
            for (int j = 0; j < 8; j++) {
                float expected = 0f;
                for (int i = 0; i < 32; i++) {
                    expected += x[3 + 256 * b + 32 * j + i];
                }
                assertThat(sums[16 * b + j]).isZero();
                assertThat(sums[16 * b + 8 + j]).isEqualTo(expected);
            }
        }
    }
}
