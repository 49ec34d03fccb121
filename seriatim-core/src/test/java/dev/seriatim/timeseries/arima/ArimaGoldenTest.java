package dev.seriatim.timeseries.arima;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.seriatim.timeseries.Forecast;
import dev.seriatim.timeseries.RReference;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Fixed-order fits and forecasts against R forecast 8.x (tools/reference/arima). */
class ArimaGoldenTest {

    static final Map<String, Map<String, String>> FITS = RReference.table("fits.tsv");

    static Stream<String> ids() {
        return FITS.keySet().stream();
    }

    static ArimaFit fit(Map<String, String> ref) {
        double[] y = RReference.series(ref.get("series"));
        if (ref.get("log").equals("1")) {
            for (int i = 0; i < y.length; i++) {
                y[i] = Math.log(y[i]);
            }
        }
        String[] o = ref.get("order").split(",");
        ArimaOrder order = new ArimaOrder(i(o[0]), i(o[1]), i(o[2]), i(o[3]), i(o[4]), i(o[5]), i(o[6]));
        ArimaSpec spec = ArimaSpec.of(order).withMean(ref.get("mean").equals("1"))
                .withDrift(ref.get("drift").equals("1"));
        if (ref.containsKey("lambda")) {
            spec = spec.withLambda(d(ref.get("lambda")));
        }
        return ArimaEstimator.fit(y, spec);
    }

    @ParameterizedTest
    @MethodSource("ids")
    void fitMatchesR(String id) {
        Map<String, String> ref = FITS.get(id);
        ArimaFit fit = fit(ref);
        assertThat(fit.loglik()).as(id + " loglik").isCloseTo(d(ref.get("loglik")),
                within(1e-4 * Math.abs(d(ref.get("loglik")))));
        for (String key : ref.keySet()) {
            if (key.startsWith("coef.")) {
                String name = key.substring(5);
                double want = d(ref.get(key));
                assertThat(fit.coefficient(name)).as(id + " " + name).isCloseTo(want, within(1e-3 * Math.max(1, Math.abs(want))));
                double se = d(ref.get("se." + name));
                assertThat(fit.standardError(name)).as(id + " se " + name).isCloseTo(se, within(2e-2 * se));
            }
        }
        assertThat(fit.names()).as(id).containsExactlyElementsOf(
                ref.keySet().stream().filter(k -> k.startsWith("coef.")).map(k -> k.substring(5)).toList());
        assertThat(fit.nUsed()).isEqualTo(Integer.parseInt(ref.get("nobs")));
        double aic = d(ref.get("aic"));
        assertThat(fit.aic()).as(id + " aic").isCloseTo(aic, within(1e-4 * Math.abs(aic)));
        assertThat(fit.aicc()).as(id + " aicc").isCloseTo(d(ref.get("aicc")), within(1e-4 * Math.abs(aic)));
        assertThat(fit.bic()).as(id + " bic").isCloseTo(d(ref.get("bic")), within(1e-4 * Math.abs(aic)));
        assertThat(fit.sigma2()).as(id + " sigma2").isCloseTo(d(ref.get("sigma2")), within(2e-3 * d(ref.get("sigma2"))));
    }

    @ParameterizedTest
    @MethodSource("ids")
    void forecastMatchesR(String id) {
        Map<String, String> ref = FITS.get(id);
        ArimaFit fit = fit(ref);
        int h = (int) ref.keySet().stream().filter(k -> k.startsWith("fc.") && k.endsWith(".mean")).count();
        Forecast f = ArimaForecaster.forecast(fit, h, 80, 95);
        for (int s = 0; s < h; s++) {
            double mean = d(ref.get("fc." + (s + 1) + ".mean"));
            double hi95 = d(ref.get("fc." + (s + 1) + ".hi95"));
            double width = hi95 - mean;
            String at = id + " step " + (s + 1);
            assertThat(f.mean()[s]).as(at + " mean").isCloseTo(mean, within(1e-3 * Math.max(Math.abs(mean), width)));
            assertThat(f.upper()[1][s] - f.mean()[s]).as(at + " hi95").isCloseTo(width, within(2e-3 * Math.abs(width)));
            assertThat(f.lower()[0][s]).as(at + " lo80").isCloseTo(d(ref.get("fc." + (s + 1) + ".lo80")),
                    within(2e-3 * Math.abs(width)));
        }
    }

    static int i(String s) {
        return Integer.parseInt(s);
    }

    static double d(String s) {
        return Double.parseDouble(s);
    }
}
