package dev.seriatim.text.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RopeTableTest {

    private static TransformerConfig llama(int ropeDim, float scale) {
        return new TransformerConfig(Architecture.LLAMA, 256, 2, 4, 2, 64, 512, 300, 8192, 1e-5f, 500000f, ropeDim,
                scale, false);
    }

    /** Seeded positions: each row holds the cosines and sines of pos / scale * base^(-2i/d) / factor[i]. */
    @Test
    void rowsHoldTheRotaryAnglesOfTheirPosition() {
        Random random = new Random(13);
        float[] factors = new float[32];
        for (int i = 0; i < factors.length; i++) {
            factors[i] = 1 + random.nextFloat() * 7;
        }
        TransformerConfig c = llama(64, 2f);
        RopeTable table = RopeTable.of(c, factors).covering(5000);
        for (int n = 0; n < 200; n++) {
            int pos = random.nextInt(5000);
            for (int i = 0; i < 32; i++) {
                double angle = pos / 2.0 * Math.pow(500000, -2.0 * i / 64) / factors[i];
                assertThat((double) table.cos(pos)[i]).isCloseTo(Math.cos(angle), within(1e-6));
                assertThat((double) table.sin(pos)[i]).isCloseTo(Math.sin(angle), within(1e-6));
            }
        }
    }

    /** A table starts empty and grows on demand, the longer table sharing the rows already made. */
    @Test
    void growingSharesTheRowsAlreadyMade() {
        RopeTable empty = RopeTable.of(llama(64, 1f), null);
        assertThat(empty.positions()).isZero();
        RopeTable first = empty.covering(100);
        assertThat(first.positions()).isEqualTo(100);
        assertThat(first.covering(100)).isSameAs(first);
        assertThat(first.covering(40)).isSameAs(first);
        RopeTable longer = first.covering(300);
        assertThat(longer.positions()).isEqualTo(300);
        for (int pos = 0; pos < 100; pos++) {
            assertThat(longer.cos(pos)).isSameAs(first.cos(pos));
            assertThat(longer.sin(pos)).isSameAs(first.sin(pos));
        }
        assertThat(longer.cos(299)).hasSize(32);
    }

    @Test
    void frequencyFactorsOfTheWrongLengthAreRefused() {
        assertThatThrownBy(() -> RopeTable.of(llama(64, 1f), new float[31]))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("31 values, expected 32");
    }
}
