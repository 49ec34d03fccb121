package dev.seriatim.timeseries.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NormalTest {

    @Test
    void quantilesMatchRsQnorm() {
        // qnorm(c(0.9, 0.975, 0.995, 1e-10)) in R
        assertThat(Normal.quantile(0.9)).isCloseTo(1.2815515655446004, within(1e-14));
        assertThat(Normal.quantile(0.975)).isCloseTo(1.959963984540054, within(1e-14));
        assertThat(Normal.quantile(0.995)).isCloseTo(2.5758293035489004, within(1e-14));
        assertThat(Normal.quantile(1e-10)).isCloseTo(-6.361340902404056, within(1e-11));
        assertThat(Normal.quantile(0.5)).isCloseTo(0, within(1e-15));
    }

    @Test
    void cdfInvertsTheQuantile() {
        for (double p = 0.001; p < 1; p += 0.0137) {
            assertThat(Normal.cdf(Normal.quantile(p))).isCloseTo(p, within(1e-14));
        }
        assertThat(Normal.upperTail(8)).isCloseTo(6.220960574271785e-16, within(1e-28));
    }
}
