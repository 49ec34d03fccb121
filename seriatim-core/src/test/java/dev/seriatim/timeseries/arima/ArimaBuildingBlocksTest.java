package dev.seriatim.timeseries.arima;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.seriatim.timeseries.linalg.PolynomialRoots;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Properties of the pieces the estimator is built from, on seeded random inputs. */
class ArimaBuildingBlocksTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void pacfTransformIsStationaryAndInvertible(int seed) {
        Random rnd = new Random(seed);
        int p = 1 + rnd.nextInt(6);
        double[] raw = new double[p];
        for (int i = 0; i < p; i++) {
            raw[i] = rnd.nextGaussian() * 1.5;
        }
        double[] ar = PacfTransform.toAr(raw, 0, p);
        double[] poly = new double[p + 1];
        poly[0] = 1;
        for (int i = 0; i < p; i++) {
            poly[i + 1] = -ar[i];
        }
        assertThat(PolynomialRoots.minModulus(poly)).isGreaterThan(1);
        assertThat(ArimaPolynomials.stationary(ar, 0, p)).isTrue();
        double[] back = PacfTransform.fromAr(ar, 0, p);
        for (int i = 0; i < p; i++) {
            assertThat(back[i]).isCloseTo(raw[i], within(1e-8));
        }
    }

    @Test
    void stationarityTestAgreesWithRoots() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            int p = 1 + rnd.nextInt(4);
            double[] ar = new double[p];
            double[] poly = new double[p + 1];
            poly[0] = 1;
            for (int i = 0; i < p; i++) {
                ar[i] = rnd.nextGaussian() * 0.8;
                poly[i + 1] = -ar[i];
            }
            double min = PolynomialRoots.minModulus(poly);
            if (Math.abs(min - 1) > 1e-6) {
                assertThat(ArimaPolynomials.stationary(ar, 0, p)).as("ar %s", java.util.Arrays.toString(ar))
                        .isEqualTo(min > 1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void stationaryCovarianceSolvesTheLyapunovEquation(int seed) {
        Random rnd = new Random(seed);
        int p = rnd.nextInt(5);
        int q = rnd.nextInt(5);
        double[] phi = RandomArma.stationaryAr(rnd, p);
        double[] theta = RandomArma.ma(rnd, q, 0.5);
        int r = Math.max(p, q + 1);
        double[] cov = StationaryCovariance.of(phi, theta);
        double[] t = new double[r * r];
        for (int i = 0; i < r; i++) {
            if (i < p) {
                t[i * r] = phi[i];
            }
            if (i < r - 1) {
                t[i * r + i + 1] = 1;
            }
        }
        double[] rv = new double[r];
        rv[0] = 1;
        System.arraycopy(theta, 0, rv, 1, q);
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < r; j++) {
                double s = rv[i] * rv[j];
                for (int k = 0; k < r; k++) {
                    for (int l = 0; l < r; l++) {
                        s += t[i * r + k] * cov[k * r + l] * t[j * r + l];
                    }
                }
                assertThat(cov[i * r + j]).isCloseTo(s, within(1e-9 * Math.max(1, Math.abs(s))));
            }
        }
    }

    @Test
    void ar1LikelihoodIsTheTextbookFormula() {
        double phi = 0.6;
        double[] y = {0.3, -1.2, 0.5, 2.0, 1.1, -0.4, 0.0, 0.9};
        ArimaStateSpace ss = new ArimaStateSpace(new double[] {phi}, new double[0], new double[0]);
        ArimaStateSpace.Likelihood lik = ss.filter(y, null);
        // F_1 = 1/(1-phi^2), then F_t = 1; v_1 = y_1, v_t = y_t - phi y_{t-1}
        double ssq = y[0] * y[0] * (1 - phi * phi);
        for (int t = 1; t < y.length; t++) {
            double v = y[t] - phi * y[t - 1];
            ssq += v * v;
        }
        assertThat(lik.count()).isEqualTo(y.length);
        assertThat(lik.ssq()).isCloseTo(ssq, within(1e-12));
        assertThat(lik.sumLog()).isCloseTo(-Math.log(1 - phi * phi), within(1e-12));
    }

    @Test
    void missingValuesAreSkippedNotCounted() {
        double[] y = {0.3, -1.2, Double.NaN, 2.0, 1.1, Double.NaN, 0.0, 0.9};
        ArimaStateSpace ss = new ArimaStateSpace(new double[] {0.5}, new double[] {0.3}, new double[] {1});
        double[] resid = new double[y.length];
        ArimaStateSpace.Likelihood lik = ss.filter(y, resid);
        assertThat(lik.count()).isEqualTo(6 - 1);
        assertThat(resid[2]).isNaN();
        assertThat(lik.objective()).isFinite();
    }

    @Test
    void maInversionGivesTheInvertibleTwin() {
        double[] coef = {2.5};
        MaInversion.invertInPlace(coef, 0, 1);
        assertThat(coef[0]).isCloseTo(0.4, within(1e-15));
        // (1 + 2z)(1 + 0.5z) = 1 + 2.5z + z^2 -> (1 + 0.5z)(1 + 0.5z) = 1 + z + 0.25z^2
        double[] two = {9, 2.5, 1.0, 7};
        MaInversion.invertInPlace(two, 1, 2);
        assertThat(two[1]).isCloseTo(1.0, within(1e-9));
        assertThat(two[2]).isCloseTo(0.25, within(1e-9));
        assertThat(two[0]).isEqualTo(9);
        assertThat(two[3]).isEqualTo(7);
    }

    @Test
    void seasonalExpansionMultipliesThePolynomials() {
        ArimaOrder o = new ArimaOrder(1, 0, 1, 1, 0, 1, 4);
        ArimaPolynomials poly = ArimaPolynomials.expand(new double[] {0.5, 0.3, 0.2, -0.4}, o);
        // (1 - 0.5B)(1 - 0.2B^4) = 1 - 0.5B - 0.2B^4 + 0.1B^5
        assertThat(poly.phi()).containsExactly(0.5, 0, 0, 0.2, -0.1);
        // (1 + 0.3B)(1 - 0.4B^4) = 1 + 0.3B - 0.4B^4 - 0.12B^5
        assertThat(poly.theta()[0]).isEqualTo(0.3);
        assertThat(poly.theta()[3]).isEqualTo(-0.4);
        assertThat(poly.theta()[4]).isCloseTo(-0.12, within(1e-15));
        assertThat(ArimaPolynomials.differencing(new ArimaOrder(0, 1, 0, 0, 1, 0, 4)))
                .containsExactly(1, 0, 0, 1, -1);
    }
}
