package dev.seriatim.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When bench stops warming up: the warm-up time, then two runs that agree, within ten runs. */
class BenchWarmupTest {

    @Test
    void warmsUpForTheTimeThenUntilTwoRunsAgree() {
        // within the time: on, whatever the rates
        assertThat(BenchCommand.keepWarming(1.0, 2, 1, Double.NaN, 25)).isTrue();
        assertThat(BenchCommand.keepWarming(1.9, 2, 2, 25, 25)).isTrue();
        // past it: on while the last run differs from the one before by more than 10%
        assertThat(BenchCommand.keepWarming(3.0, 2, 1, Double.NaN, 25)).as("one run cannot agree with another")
                .isTrue();
        assertThat(BenchCommand.keepWarming(3.0, 2, 2, 9.6, 28)).as("a late compile: 9.6 then 28").isTrue();
        assertThat(BenchCommand.keepWarming(3.0, 2, 3, 28, 26)).isFalse();
        assertThat(BenchCommand.keepWarming(3.0, 2, 3, 26, 28.8)).as("within 10% of the faster").isFalse();
        assertThat(BenchCommand.keepWarming(3.0, 2, 3, 26, 29)).as("past 10% of the faster").isTrue();
        // at most ten runs, and a warm-up time of 0 asks for one
        assertThat(BenchCommand.keepWarming(30, 2, 10, 5, 25)).isFalse();
        assertThat(BenchCommand.keepWarming(0.1, 0, 1, Double.NaN, 25)).isFalse();
    }
}
