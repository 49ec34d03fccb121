package dev.seriatim.timeseries.arima;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.seriatim.timeseries.Forecast;
import dev.seriatim.timeseries.RReference;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Sample paths through the next-step loop agree with the analytic forecast intervals. */
class ArimaSamplerTest {

    @ParameterizedTest
    @CsvSource({"LakeHuron,1,0,1,0,0,0,1", "Nile,1,1,1,0,0,0,1", "USAccDeaths,0,1,1,0,1,1,12", "lh,3,0,0,0,0,0,1"})
    void pathQuantilesMatchTheIntervals(String series, int p, int d, int q, int sp, int sd, int sq, int m) {
        ArimaFit fit = ArimaEstimator.fit(RReference.series(series), ArimaSpec.of(new ArimaOrder(p, d, q, sp, sd, sq, m)));
        int h = 12;
        Forecast f = ArimaForecaster.forecast(fit, h, 80);
        double[][] paths = new ArimaSampler(fit).paths(20_000, h, false, new Random(42));
        for (int s : new int[] {0, 5, 11}) {
            double[] at = new double[paths.length];
            for (int i = 0; i < paths.length; i++) {
                at[i] = paths[i][s];
            }
            Arrays.sort(at);
            double width = f.upper()[0][s] - f.lower()[0][s];
            assertThat(at[at.length / 10]).as(series + " q10 step " + (s + 1)).isCloseTo(f.lower()[0][s], within(0.04 * width));
            assertThat(at[at.length * 9 / 10]).as(series + " q90 step " + (s + 1)).isCloseTo(f.upper()[0][s], within(0.04 * width));
            assertThat(at[at.length / 2]).as(series + " median").isCloseTo(f.mean()[s], within(0.03 * width));
        }
    }

    @org.junit.jupiter.api.Test
    void bootstrappedPathsHaveTheForecastSpreadAndAreReproducible() {
        ArimaFit fit = ArimaEstimator.fit(RReference.series("LakeHuron"), ArimaSpec.of(ArimaOrder.of(2, 0, 0)));
        Forecast f = ArimaForecaster.forecast(fit, 6, 80);
        ArimaSampler sampler = new ArimaSampler(fit);
        double[][] paths = sampler.paths(20_000, 6, true, new Random(7));
        double[] last = new double[paths.length];
        for (int i = 0; i < paths.length; i++) {
            last[i] = paths[i][5];
        }
        Arrays.sort(last);
        double width = f.upper()[0][5] - f.lower()[0][5];
        assertThat(last[last.length * 9 / 10] - last[last.length / 10]).isCloseTo(width, within(0.1 * width));
        assertThat(sampler.paths(3, 6, true, new Random(7))[2]).containsExactly(
                new ArimaSampler(fit).paths(3, 6, true, new Random(7))[2]);
    }
}
