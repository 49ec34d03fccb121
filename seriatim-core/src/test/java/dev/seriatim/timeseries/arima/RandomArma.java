package dev.seriatim.timeseries.arima;

import java.util.Random;

/** Random ARMA coefficients for property tests: stationary AR parts, MA parts of a given scale. */
final class RandomArma {

    private RandomArma() {}

    /** p AR coefficients of a stationary model: Gaussian partial autocorrelations mapped by PacfTransform. */
    static double[] stationaryAr(Random rnd, int p) {
        double[] raw = new double[p];
        for (int i = 0; i < p; i++) {
            raw[i] = rnd.nextGaussian();
        }
        return PacfTransform.toAr(raw, 0, p);
    }

    /** q MA coefficients, Gaussian times {@code scale}. */
    static double[] ma(Random rnd, int q, double scale) {
        double[] theta = new double[q];
        for (int i = 0; i < q; i++) {
            theta[i] = rnd.nextGaussian() * scale;
        }
        return theta;
    }
}
