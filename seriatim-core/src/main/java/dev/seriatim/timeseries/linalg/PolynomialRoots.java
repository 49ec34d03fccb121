package dev.seriatim.timeseries.linalg;

/**
 * Complex roots of a real polynomial c0 + c1 z + ... + cn z^n by the Aberth-Ehrlich iteration
 * (simultaneous Newton steps with repulsion between root estimates). ARMA polynomials are of
 * low degree, where this converges in a few dozen iterations to full precision.
 */
public final class PolynomialRoots {

    private PolynomialRoots() {
    }

    /**
     * Roots as {re[], im[]}; trailing zero coefficients are dropped first, so the degree is the
     * index of the last non-zero coefficient.
     */
    public static double[][] of(double[] coefficients) {
        int n = coefficients.length - 1;
        while (n > 0 && coefficients[n] == 0) {
            n--;
        }
        double[] re = new double[n];
        double[] im = new double[n];
        if (n == 0) {
            return new double[][] {re, im};
        }
        double lead = coefficients[n];
        double[] c = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            c[i] = coefficients[i] / lead;
        }
        // Start on a circle of the Cauchy-bound radius, rotated off the real axis.
        double radius = 0;
        for (int i = 0; i < n; i++) {
            radius = Math.max(radius, Math.pow(Math.abs(c[i]), 1.0 / (n - i)));
        }
        radius = Math.max(radius, 1e-3);
        for (int k = 0; k < n; k++) {
            double angle = 2 * Math.PI * k / n + 0.4;
            re[k] = radius * Math.cos(angle);
            im[k] = radius * Math.sin(angle);
        }
        for (int iter = 0; iter < 500; iter++) {
            double maxStep = 0;
            for (int k = 0; k < n; k++) {
                // p(z) and p'(z) by Horner.
                double pr = c[n], pi = 0, dr = 0, di = 0;
                for (int i = n - 1; i >= 0; i--) {
                    double ndr = dr * re[k] - di * im[k] + pr;
                    double ndi = dr * im[k] + di * re[k] + pi;
                    dr = ndr;
                    di = ndi;
                    double npr = pr * re[k] - pi * im[k] + c[i];
                    double npi = pr * im[k] + pi * re[k];
                    pr = npr;
                    pi = npi;
                }
                if (pr == 0 && pi == 0) {
                    continue;
                }
                // ratio = p / p'
                double den = dr * dr + di * di;
                double rr = (pr * dr + pi * di) / den;
                double ri = (pi * dr - pr * di) / den;
                // sum of 1 / (z_k - z_j)
                double sr = 0, si = 0;
                for (int j = 0; j < n; j++) {
                    if (j == k) {
                        continue;
                    }
                    double xr = re[k] - re[j], xi = im[k] - im[j];
                    double d2 = xr * xr + xi * xi;
                    sr += xr / d2;
                    si -= xi / d2;
                }
                // step = ratio / (1 - ratio * sum)
                double tr = 1 - (rr * sr - ri * si);
                double ti = -(rr * si + ri * sr);
                double td = tr * tr + ti * ti;
                double stepR = (rr * tr + ri * ti) / td;
                double stepI = (ri * tr - rr * ti) / td;
                re[k] -= stepR;
                im[k] -= stepI;
                maxStep = Math.max(maxStep, Math.hypot(stepR, stepI) / Math.max(1, Math.hypot(re[k], im[k])));
            }
            if (maxStep < 1e-15) {
                break;
            }
        }
        return new double[][] {re, im};
    }

    /** The smallest modulus among the roots, or +Inf for a constant polynomial. */
    public static double minModulus(double[] coefficients) {
        double[][] roots = of(coefficients);
        double min = Double.POSITIVE_INFINITY;
        for (int k = 0; k < roots[0].length; k++) {
            min = Math.min(min, Math.hypot(roots[0][k], roots[1][k]));
        }
        return min;
    }
}
