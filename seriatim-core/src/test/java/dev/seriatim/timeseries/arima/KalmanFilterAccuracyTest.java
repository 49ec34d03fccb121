package dev.seriatim.timeseries.arima;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two filters behind the likelihood, the Chandrasekhar recursions (stationary models) and
 * the sparse filter with its steady-state shortcut (differenced models, missing values), against
 * the textbook Kalman filter written out here: dense T P T' + R R', full covariance update at
 * every step.
 */
class KalmanFilterAccuracyTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void matchesTheDenseKalmanFilter(int seed) {
        Random rnd = new Random(seed);
        int p = rnd.nextInt(6);
        int q = rnd.nextInt(6);
        double[] phi = RandomArma.stationaryAr(rnd, p);
        double[] theta = RandomArma.ma(rnd, q, 0.4);
        check(phi, theta, simulate(phi, theta, 60 + rnd.nextInt(200), rnd));
    }

    @Test
    void seasonalPolynomialsWithZeroGaps() {
        ArimaPolynomials poly = ArimaPolynomials.expand(new double[] {0.4, -0.3, 0.5, -0.6},
                new ArimaOrder(1, 0, 1, 1, 0, 1, 4));
        Random rnd = new Random(7);
        check(poly.phi(), poly.theta(), simulate(poly.phi(), poly.theta(), 150, rnd));
    }

    @Test
    void nearUnitRootsAndLongSeries() {
        Random rnd = new Random(3);
        // gamma(0) near 500: the running product of F_t must be flushed before it overflows.
        check(new double[] {0.999}, new double[] {0.2}, simulate(new double[] {0.999}, new double[] {0.2}, 3000, rnd));
        // An MA root near the unit circle: the gain converges slowly, never steady in 150 steps.
        check(new double[] {0.3}, new double[] {-0.995}, simulate(new double[] {0.3}, new double[] {-0.995}, 150, rnd));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void sparseFilterMatchesWithDiffuseDifferencingStates(int seed) {
        Random rnd = new Random(100 + seed);
        int p = rnd.nextInt(4);
        int q = rnd.nextInt(4);
        double[] phi = RandomArma.stationaryAr(rnd, p);
        double[] theta = RandomArma.ma(rnd, q, 0.4);
        ArimaOrder order = new ArimaOrder(p, 1 + seed % 2, q, 0, seed % 3 == 0 ? 1 : 0, 0, 4);
        double[] delta = ArimaPolynomials.differencing(order);
        double[] w = simulate(phi, theta, 80 + rnd.nextInt(100), rnd);
        // integrate: y = w undifferenced by the delta recursion y_t = w_t + sum delta_j y_{t-j}
        double[] y = new double[w.length];
        for (int t = 0; t < y.length; t++) {
            double v = w[t] + 3;
            for (int j = 0; j < delta.length && t - j - 1 >= 0; j++) {
                v += delta[j] * y[t - j - 1];
            }
            y[t] = v;
        }
        ArimaStateSpace.Likelihood got = new ArimaStateSpace(phi, theta, delta).filter(y, null);
        double[] want = dense(phi, theta, delta, y);
        assertThat(got.count()).isEqualTo((int) want[2]);
        // the steady-state shortcut: about 1e-9 relative
        assertThat(got.ssq()).isCloseTo(want[0], within(1e-8 * want[0]));
        assertThat(got.objective()).isCloseTo(0.5 * (Math.log(want[0] / want[2]) + want[1] / want[2]), within(1e-8));
    }

    @Test
    void nonStationaryArIsRejected() {
        ChandrasekharFilter f = new ChandrasekharFilter(2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.run(new double[] {1.2, 0.1}, new double[0],
                new double[] {1, 2, 3})).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void firstColumnIsColumnZeroOfTheStationaryCovariance() {
        double[] phi = {0.5, -0.2, 0.1};
        double[] theta = {0.3, 0.4, -0.2, 0.1};
        double[] full = StationaryCovariance.of(phi, theta);
        double[] col = new double[5];
        StationaryCovariance.firstColumn(phi, theta, col);
        for (int j = 0; j < 5; j++) {
            assertThat(col[j]).isCloseTo(full[j * 5], within(1e-12));
        }
    }

    private static void check(double[] phi, double[] theta, double[] y) {
        double[] delta = new double[0];
        int r = Math.max(phi.length, theta.length + 1);
        ChandrasekharFilter fast = new ChandrasekharFilter(r);
        // twice through the same workspace: nothing may leak from one evaluation to the next
        fast.run(phi, theta, y);
        ArimaStateSpace.Likelihood got = fast.run(phi, theta, y);
        double[] want = dense(phi, theta, delta, y);
        assertThat(got.count()).isEqualTo((int) want[2]);
        assertThat(got.ssq()).isCloseTo(want[0], within(1e-9 * want[0]));
        assertThat(got.sumLog()).isCloseTo(want[1], within(1e-9 * Math.max(1, Math.abs(want[1]))));
    }

    private static double[] simulate(double[] phi, double[] theta, int n, Random rnd) {
        int burn = 500;
        double[] y = new double[n + burn];
        double[] e = new double[n + burn];
        for (int t = 0; t < y.length; t++) {
            e[t] = rnd.nextGaussian();
            double v = e[t];
            for (int i = 0; i < phi.length && t - i - 1 >= 0; i++) {
                v += phi[i] * y[t - i - 1];
            }
            for (int i = 0; i < theta.length && t - i - 1 >= 0; i++) {
                v += theta[i] * e[t - i - 1];
            }
            y[t] = v;
        }
        return java.util.Arrays.copyOfRange(y, burn, y.length);
    }

    /**
     * {sum v^2/F, sum log F, count} by the full Kalman recursion with dense matrices: state
     * (ARMA, last k values), P_1 = diag(stationary, 1e6 I), F >= 1e4 left out as in R.
     */
    private static double[] dense(double[] phi, double[] theta, double[] delta, double[] y) {
        int r = Math.max(phi.length, theta.length + 1);
        int k = delta.length;
        int n = r + k;
        double[] t = new double[n * n];
        for (int i = 0; i < r; i++) {
            if (i < phi.length) {
                t[i * n] = phi[i];
            }
            if (i < r - 1) {
                t[i * n + i + 1] = 1;
            }
        }
        double[] z = new double[n];
        z[0] = 1;
        for (int j = 0; j < k; j++) {
            z[r + j] = delta[j];
            t[r * n + r + j] = delta[j];
            if (j > 0) {
                t[(r + j) * n + r + j - 1] = 1;
            }
        }
        if (k > 0) {
            t[r * n] = 1;
        }
        double[] rv = new double[n];
        rv[0] = 1;
        System.arraycopy(theta, 0, rv, 1, theta.length);
        double[] q0 = StationaryCovariance.of(phi, theta);
        double[] pm = new double[n * n];
        for (int i = 0; i < r; i++) {
            System.arraycopy(q0, i * r, pm, i * n, r);
        }
        for (int i = r; i < n; i++) {
            pm[i * n + i] = 1e6;
        }
        double[] a = new double[n];
        double ssq = 0;
        double sumLog = 0;
        int count = 0;
        for (double yt : y) {
            double[] m = new double[n];
            double f = 0;
            double v = yt;
            for (int i = 0; i < n; i++) {
                v -= z[i] * a[i];
                for (int j = 0; j < n; j++) {
                    m[i] += pm[i * n + j] * z[j];
                }
                f += z[i] * m[i];
            }
            if (f < 1e4) {
                ssq += v * v / f;
                sumLog += Math.log(f);
                count++;
            }
            double[] filtered = new double[n * n];
            double[] af = new double[n];
            for (int i = 0; i < n; i++) {
                af[i] = a[i] + m[i] * v / f;
                for (int j = 0; j < n; j++) {
                    filtered[i * n + j] = pm[i * n + j] - m[i] * m[j] / f;
                }
            }
            double[] next = new double[n * n];
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int l = 0; l < n; l++) {
                    s += t[i * n + l] * af[l];
                }
                a[i] = s;
                for (int j = 0; j < n; j++) {
                    double acc = rv[i] * rv[j];
                    for (int l = 0; l < n; l++) {
                        for (int h = 0; h < n; h++) {
                            acc += t[i * n + l] * filtered[l * n + h] * t[j * n + h];
                        }
                    }
                    next[i * n + j] = acc;
                }
            }
            pm = next;
        }
        return new double[] {ssq, sumLog, count};
    }
}
