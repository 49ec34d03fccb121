package dev.seriatim.timeseries.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** V is orthogonal, X V has orthogonal columns, by decreasing norm, even for an ill-conditioned X. */
class RightSingularVectorsTest {

    @Test
    void diagonalisesAnInterceptNextToTheCalendarYear() {
        int n = 98, k = 3;
        double[][] x = new double[n][k];
        java.util.Random r = new java.util.Random(7);
        for (int t = 0; t < n; t++) {
            x[t][0] = 1;
            x[t][1] = 1875 + t;
            x[t][2] = r.nextGaussian();
        }
        double[] v = RightSingularVectors.of(x);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double vtv = 0;
                for (int l = 0; l < k; l++) {
                    vtv += v[l * k + i] * v[l * k + j];
                }
                assertThat(vtv).as("V'V " + i + "," + j).isCloseTo(i == j ? 1 : 0, within(1e-12));
            }
        }
        double[][] xv = new double[k][n];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < k; j++) {
                for (int l = 0; l < k; l++) {
                    xv[j][t] += x[t][l] * v[l * k + j];
                }
            }
        }
        double previous = Double.POSITIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            double norm = dot(xv[i], xv[i]);
            assertThat(norm).isLessThanOrEqualTo(previous);
            previous = norm;
            for (int j = i + 1; j < k; j++) {
                assertThat(dot(xv[i], xv[j])).as("columns " + i + "," + j)
                        .isCloseTo(0, within(1e-12 * Math.sqrt(norm * dot(xv[j], xv[j])) * n));
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
