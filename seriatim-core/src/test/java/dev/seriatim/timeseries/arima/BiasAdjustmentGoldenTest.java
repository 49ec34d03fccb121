package dev.seriatim.timeseries.arima;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.seriatim.timeseries.Forecast;
import dev.seriatim.timeseries.RReference;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bias-adjusted Box-Cox forecasts (the mean on the original scale) against R forecast's
 * forecast(Arima(AirPassengers, lambda = L), biasadj = TRUE) (tools/reference/arima/biasadj.tsv).
 * The adjustment itself (mean - median) is compared, not just the mean, so that a missing or
 * wrong adjustment cannot hide inside the tolerance.
 */
class BiasAdjustmentGoldenTest {

    static final Map<String, Map<String, String>> REF = RReference.table("biasadj.tsv");

    static Stream<String> ids() {
        return REF.keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("ids")
    void meanForecastMatchesR(String id) {
        Map<String, String> ref = REF.get(id);
        double lambda = d(ref.get("lambda"));
        ArimaFit fit = ArimaEstimator.fit(RReference.series(ref.get("series")),
                ArimaSpec.of(new ArimaOrder(0, 1, 1, 0, 1, 1, 12)).withLambda(lambda));
        assertThat(fit.loglik()).as(id + " loglik").isCloseTo(d(ref.get("loglik")), within(1e-4 * Math.abs(d(ref.get("loglik")))));
        double[] levels = {80, 95};
        Forecast median = ArimaForecaster.forecast(fit, 24, levels, new double[0][], false);
        Forecast mean = ArimaForecaster.forecast(fit, 24, levels, new double[0][], true);
        for (int s = 0; s < 24; s++) {
            String at = id + " step " + (s + 1);
            double wantMean = d(ref.get("fc." + (s + 1) + ".mean"));
            double wantMedian = d(ref.get("fc." + (s + 1) + ".median"));
            assertThat(mean.mean()[s]).as(at + " mean").isCloseTo(wantMean, within(1e-4 * wantMean));
            assertThat(mean.mean()[s] - median.mean()[s]).as(at + " adjustment")
                    .isCloseTo(wantMean - wantMedian, within(1e-2 * (wantMean - wantMedian)));
            assertThat(mean.upper()[1][s]).as(at + " hi95 unchanged").isEqualTo(median.upper()[1][s]);
            assertThat(mean.upper()[1][s]).as(at + " hi95").isCloseTo(d(ref.get("fc." + (s + 1) + ".hi95")),
                    within(1e-3 * wantMean));
        }
    }

    private static double d(String s) {
        return Double.parseDouble(s);
    }
}
