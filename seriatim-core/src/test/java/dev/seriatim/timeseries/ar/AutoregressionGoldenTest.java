package dev.seriatim.timeseries.ar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.seriatim.timeseries.RReference;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** AR(p) by Yule-Walker and Burg with AIC order choice against R's ar() (tools/reference/arima/ar.tsv). */
class AutoregressionGoldenTest {

    static final Map<String, Map<String, String>> AR = RReference.table("ar.tsv");

    static Stream<String> ids() {
        return AR.keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("ids")
    void matchesR(String id) {
        Map<String, String> ref = AR.get(id);
        double[] y = RReference.series(ref.get("series"));
        if (ref.get("log").equals("1")) {
            for (int i = 0; i < y.length; i++) {
                y[i] = Math.log(y[i]);
            }
        }
        ArFit fit = Autoregression.fit(y, id.endsWith("burg") ? ArMethod.BURG : ArMethod.YULE_WALKER);
        assertThat(fit.order()).as(id).isEqualTo(Integer.parseInt(ref.get("order")));
        for (int i = 0; i < fit.order(); i++) {
            assertThat(fit.ar()[i]).as(id + " ar" + (i + 1)).isCloseTo(Double.parseDouble(ref.get("ar" + (i + 1))), within(1e-10));
        }
        assertThat(fit.variance()).isCloseTo(Double.parseDouble(ref.get("var.pred")), within(1e-10 * fit.variance()));
        for (int k = 0; k < fit.aic().length; k++) {
            assertThat(fit.aic()[k]).as(id + " aic" + k).isCloseTo(Double.parseDouble(ref.get("aic" + k)), within(1e-8));
        }
    }
}
