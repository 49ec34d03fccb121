package dev.seriatim.timeseries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Against R forecast 8.20: options(digits=17); BoxCox.lambda(s) for each series (see
 * tools/reference/arima/README.md).
 */
class GuerreroLambdaTest {

    @ParameterizedTest
    @CsvSource({"AirPassengers,12,-0.2947155855593156", "USAccDeaths,12,-0.039756167831400728",
            "lynx,1,0.1521848726267189", "Nile,1,0.99888936199250222", "UKgas,4,-0.44570228282182273",
            "co2,12,-0.034321073977770511"})
    void matchesR(String series, int frequency, double want) {
        assertThat(GuerreroLambda.of(RReference.series(series), frequency)).isCloseTo(want, within(1e-6));
    }

    @org.junit.jupiter.api.Test
    void refusesNonPositiveData() {
        assertThatThrownBy(() -> GuerreroLambda.of(new double[] {1, 2, 0, 4, 5, 6}, 2))
                .hasMessageContaining("positive");
    }
}
