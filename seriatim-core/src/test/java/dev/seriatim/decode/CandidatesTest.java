package dev.seriatim.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CandidatesTest {

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    /** Property: selecting the top k equals sorting everything and taking the first k. */
    @ParameterizedTest
    @MethodSource("seeds")
    void keepTopEqualsAFullSortsPrefix(long seed) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(300);
        float[] logits = new float[n];
        for (int i = 0; i < n; i++) {
            // few distinct values: many ties, some -inf
            logits[i] = switch (r.nextInt(4)) {
                case 0 -> r.nextInt(5);
                case 1 -> Float.NEGATIVE_INFINITY;
                default -> (float) r.nextGaussian();
            };
        }
        int k = 1 + r.nextInt(n);
        Candidates selected = new Candidates(n);
        selected.reset(logits, n);
        selected.keepTop(k);
        Candidates sorted = new Candidates(n);
        sorted.reset(logits, n);
        sorted.sortByLogit();
        List<Integer> expected = ReferenceSampling.byLogit(toDouble(logits)).subList(0, k);
        assertThat(selected.size()).isEqualTo(k);
        for (int i = 0; i < k; i++) {
            assertThat(selected.id(i)).isEqualTo(sorted.id(i)).isEqualTo(expected.get(i));
            assertThat(selected.logit(i)).isEqualTo(logits[selected.id(i)]);
        }
        assertThat(selected.isSorted()).isTrue();
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
