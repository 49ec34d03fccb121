package dev.seriatim.timeseries.auto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.seriatim.timeseries.RReference;
import dev.seriatim.timeseries.arima.ArimaFit;
import dev.seriatim.timeseries.arima.ArimaOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * auto.arima with regressors against R forecast's auto.arima(y, xreg = X)
 * (tools/reference/arima/xreg_reference.R -> xreg.tsv and series/xreg_*.csv): the same order,
 * constant, loglik to 1e-4 relative and coefficients to 1e-3.
 */
class AutoArimaXregGoldenTest {

    static final Map<String, Map<String, String>> REF = RReference.table("xreg.tsv");

    static Stream<String> ids() {
        return REF.keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("ids")
    void choosesRsModel(String id) {
        Map<String, String> ref = REF.get(id);
        List<String> names = Arrays.asList(ref.get("xreg").split(","));
        double[][] xreg = names.stream().map(c -> RReference.column(id, c)).toArray(double[][]::new);
        ArimaFit fit = AutoArima.fit(RReference.series(id), Integer.parseInt(ref.get("frequency")),
                AutoArima.Options.defaults(), xreg, names).fit();
        ArimaOrder o = fit.order();
        String got = o.p() + "," + o.d() + "," + o.q() + "," + o.seasonalP() + "," + o.seasonalD() + ","
                + o.seasonalQ() + "," + o.period();
        assertThat(got).as(id + " order").isEqualTo(ref.get("order"));
        boolean constant = fit.names().contains("intercept") || fit.names().contains("drift");
        assertThat(constant ? "1" : "0").as(id + " constant").isEqualTo(ref.get("constant"));
        double loglik = Double.parseDouble(ref.get("loglik"));
        assertThat(fit.loglik()).as(id + " loglik").isCloseTo(loglik, within(1e-4 * Math.abs(loglik)));
        List<String> coefs = ref.keySet().stream().filter(k -> k.startsWith("coef.")).map(k -> k.substring(5)).toList();
        assertThat(fit.names()).as(id + " coefficients").containsExactlyElementsOf(coefs);
        for (String c : coefs) {
            double want = Double.parseDouble(ref.get("coef." + c));
            assertThat(fit.coefficient(c)).as(id + " " + c).isCloseTo(want, within(1e-3 * Math.max(1, Math.abs(want))));
        }
    }
}
