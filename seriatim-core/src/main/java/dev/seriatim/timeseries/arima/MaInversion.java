package dev.seriatim.timeseries.arima;

import dev.seriatim.timeseries.linalg.PolynomialRoots;

/**
 * Replaces the roots of an MA polynomial 1 + theta_1 z + ... that lie inside the unit circle
 * by their reciprocals (R's maInvert): the same autocovariances up to sigma2, but invertible.
 */
public final class MaInversion {

    private MaInversion() {
    }

    /** The invertible MA block at [from, from+count) of coef, written back in place. */
    public static void invertInPlace(double[] coef, int from, int count) {
        int q0 = count;
        while (q0 > 0 && coef[from + q0 - 1] == 0) {
            q0--;
        }
        if (q0 == 0) {
            return;
        }
        double[] poly = new double[q0 + 1];
        poly[0] = 1;
        System.arraycopy(coef, from, poly, 1, q0);
        double[][] roots = PolynomialRoots.of(poly);
        double[] re = roots[0], im = roots[1];
        boolean any = false;
        for (int k = 0; k < q0; k++) {
            if (Math.hypot(re[k], im[k]) < 1) {
                any = true;
            }
        }
        if (!any) {
            return;
        }
        if (q0 == 1) {
            coef[from] = 1 / coef[from];
            return;
        }
        for (int k = 0; k < q0; k++) {
            double mod2 = re[k] * re[k] + im[k] * im[k];
            if (mod2 < 1) {
                re[k] = re[k] / mod2;
                im[k] = -im[k] / mod2;
            }
        }
        // Rebuild prod_k (1 - z / r_k) in complex arithmetic; the result is real.
        double[] xr = new double[q0 + 1];
        double[] xi = new double[q0 + 1];
        xr[0] = 1;
        for (int k = 0; k < q0; k++) {
            double mod2 = re[k] * re[k] + im[k] * im[k];
            double invR = re[k] / mod2, invI = -im[k] / mod2;
            for (int i = k + 1; i >= 1; i--) {
                double tr = xr[i - 1] * invR - xi[i - 1] * invI;
                double ti = xr[i - 1] * invI + xi[i - 1] * invR;
                xr[i] -= tr;
                xi[i] -= ti;
            }
        }
        for (int i = 0; i < q0; i++) {
            coef[from + i] = xr[i + 1];
        }
        for (int i = q0; i < count; i++) {
            coef[from + i] = 0;
        }
    }
}
