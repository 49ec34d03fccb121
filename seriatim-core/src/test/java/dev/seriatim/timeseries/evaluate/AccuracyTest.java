package dev.seriatim.timeseries.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.seriatim.timeseries.RReference;
import dev.seriatim.timeseries.arima.ArimaEstimator;
import dev.seriatim.timeseries.arima.ArimaForecaster;
import dev.seriatim.timeseries.arima.ArimaOrder;
import dev.seriatim.timeseries.arima.ArimaSpec;
import org.junit.jupiter.api.Test;

class AccuracyTest {

    @Test
    void metricsByHandOnOneOrigin() {
        Accuracy.Builder b = new Accuracy.Builder(2, new double[] {80});
        b.add(new double[] {10, 20}, new double[] {12, 20}, new double[][] {{11, 15}}, new double[][] {{13, 25}}, 4);
        Accuracy a = b.build();
        assertThat(a.mae()[0]).isEqualTo(2);
        assertThat(a.rmse()[0]).isEqualTo(2);
        assertThat(a.mape()[0]).isCloseTo(20, within(1e-12));
        assertThat(a.smape()[0]).isCloseTo(200.0 * 2 / 22, within(1e-12));
        assertThat(a.mase()[0]).isEqualTo(0.5);
        assertThat(a.coverage()[0][0]).isZero();
        assertThat(a.coverage()[0][1]).isEqualTo(1);
        // width 2 plus 2/0.2 * (11 - 10)
        assertThat(a.winkler()[0][0]).isCloseTo(12, within(1e-12));
        assertThat(a.winkler()[0][1]).isCloseTo(10, within(1e-12));
    }

    @Test
    void backtestOfTheAirlineModelIsSensible() {
        double[] y = RReference.series("AirPassengers");
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.log(y[i]);
        }
        Accuracy a = Backtest.run(y, 12, 6, 12, new double[] {80, 95}, (train, h) -> ArimaForecaster.forecast(
                ArimaEstimator.fit(train, ArimaSpec.of(new ArimaOrder(0, 1, 1, 0, 1, 1, 12))), h, 80, 95));
        assertThat(a.count()).containsOnly(12);
        assertThat(a.mase()[0]).isLessThan(1.5);
        assertThat(a.mae()[5]).isGreaterThan(a.mae()[0] * 0.5);
        assertThat(a.coverage()[1][0]).isGreaterThanOrEqualTo(a.coverage()[0][0]);
    }
}
