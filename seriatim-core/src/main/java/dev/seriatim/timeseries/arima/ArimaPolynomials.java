package dev.seriatim.timeseries.arima;

/**
 * Expands the coefficient vector (ar1..p, ma1..q, sar1..P, sma1..Q) into the full AR and MA
 * polynomials of the multiplicative seasonal model, phi(B) Phi(B^m) and theta(B) Theta(B^m),
 * and builds the differencing polynomial (1-B)^d (1-B^m)^D. Sign conventions are R's:
 * phi(B) = 1 - ar1 B - ..., theta(B) = 1 + ma1 B + ... .
 */
public record ArimaPolynomials(double[] phi, double[] theta) {

    /** Full (phi, theta) from the coefficients, AR blocks used as given. */
    public static ArimaPolynomials expand(double[] coef, ArimaOrder o) {
        int p = o.p(), q = o.q(), sp = o.seasonalP(), sq = o.seasonalQ(), m = o.period();
        double[] phi = new double[p + m * sp];
        double[] theta = new double[q + m * sq];
        System.arraycopy(coef, 0, phi, 0, p);
        System.arraycopy(coef, p, theta, 0, q);
        for (int j = 0; j < sp; j++) {
            double s = coef[p + q + j];
            phi[(j + 1) * m - 1] += s;
            for (int i = 0; i < p; i++) {
                phi[(j + 1) * m + i] -= coef[i] * s;
            }
        }
        for (int j = 0; j < sq; j++) {
            double s = coef[p + q + sp + j];
            theta[(j + 1) * m - 1] += s;
            for (int i = 0; i < q; i++) {
                theta[(j + 1) * m + i] += coef[p + i] * s;
            }
        }
        return new ArimaPolynomials(phi, theta);
    }

    /**
     * Coefficients with the AR blocks mapped from the unconstrained (PACF) scale to AR
     * coefficients (R's undoPars); MA blocks and regression coefficients are unchanged.
     */
    public static double[] untransform(double[] raw, ArimaOrder o) {
        double[] coef = raw.clone();
        if (o.p() > 0) {
            System.arraycopy(PacfTransform.toAr(raw, 0, o.p()), 0, coef, 0, o.p());
        }
        int v = o.p() + o.q();
        if (o.seasonalP() > 0) {
            System.arraycopy(PacfTransform.toAr(raw, v, o.seasonalP()), 0, coef, v, o.seasonalP());
        }
        return coef;
    }

    /** The inverse of {@link #untransform}; the AR blocks must be stationary. */
    public static double[] transform(double[] coef, ArimaOrder o) {
        double[] raw = coef.clone();
        if (o.p() > 0) {
            System.arraycopy(PacfTransform.fromAr(coef, 0, o.p()), 0, raw, 0, o.p());
        }
        int v = o.p() + o.q();
        if (o.seasonalP() > 0) {
            System.arraycopy(PacfTransform.fromAr(coef, v, o.seasonalP()), 0, raw, v, o.seasonalP());
        }
        return raw;
    }

    /**
     * The coefficients delta of the differencing operator written as
     * (1-B)^d (1-B^m)^D = 1 - delta_1 B - ... - delta_k B^k (R's Delta).
     */
    public static double[] differencing(ArimaOrder o) {
        double[] poly = {1};
        for (int i = 0; i < o.d(); i++) {
            poly = multiply(poly, new double[] {1, -1});
        }
        for (int i = 0; i < o.seasonalD(); i++) {
            double[] s = new double[o.period() + 1];
            s[0] = 1;
            s[o.period()] = -1;
            poly = multiply(poly, s);
        }
        double[] delta = new double[poly.length - 1];
        for (int i = 1; i < poly.length; i++) {
            delta[i - 1] = poly[i] == 0 ? 0 : -poly[i];
        }
        return delta;
    }

    static double[] multiply(double[] a, double[] b) {
        double[] c = new double[a.length + b.length - 1];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                c[i + j] += a[i] * b[j];
            }
        }
        return c;
    }

    /** True when 1 - phi_1 z - ... has all roots outside the unit circle (R's arCheck). */
    public static boolean stationary(double[] ar, int from, int count) {
        double[] a = new double[count];
        System.arraycopy(ar, from, a, 0, count);
        return PacfTransform.pacfOrNull(a) != null;
    }
}
