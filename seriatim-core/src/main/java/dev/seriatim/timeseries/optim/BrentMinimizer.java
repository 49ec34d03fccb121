package dev.seriatim.timeseries.optim;

import java.util.function.DoubleUnaryOperator;

/**
 * Brent's (1973) one-dimensional minimiser without derivatives, golden-section steps combined
 * with parabolic interpolation, as R's {@code optimize()} runs it (same tolerance rule), so
 * that choices made by minimising agree with R's.
 */
public final class BrentMinimizer {

    private BrentMinimizer() {
    }

    /** A minimiser of f on [lo, hi] to within about tol. */
    public static double minimize(DoubleUnaryOperator f, double lo, double hi, double tol) {
        double c = (3 - Math.sqrt(5)) * 0.5;
        double eps = Math.sqrt(Math.ulp(1.0));
        double a = lo, b = hi;
        double v = a + c * (b - a);
        double w = v, x = v;
        double d = 0, e = 0;
        double fx = f.applyAsDouble(x);
        double fv = fx, fw = fx;
        double tol3 = tol / 3;
        while (true) {
            double xm = (a + b) * 0.5;
            double tol1 = eps * Math.abs(x) + tol3;
            double t2 = tol1 * 2;
            if (Math.abs(x - xm) <= t2 - (b - a) * 0.5) {
                return x;
            }
            double p = 0, q = 0, r = 0;
            if (Math.abs(e) > tol1) {
                r = (x - w) * (fx - fv);
                q = (x - v) * (fx - fw);
                p = (x - v) * q - (x - w) * r;
                q = (q - r) * 2;
                if (q > 0) {
                    p = -p;
                } else {
                    q = -q;
                }
                r = e;
                e = d;
            }
            double u;
            if (Math.abs(p) >= Math.abs(q * 0.5 * r) || p <= q * (a - x) || p >= q * (b - x)) {
                e = x < xm ? b - x : a - x;
                d = c * e;
            } else {
                d = p / q;
                u = x + d;
                if (u - a < t2 || b - u < t2) {
                    d = x >= xm ? -tol1 : tol1;
                }
            }
            if (Math.abs(d) >= tol1) {
                u = x + d;
            } else if (d > 0) {
                u = x + tol1;
            } else {
                u = x - tol1;
            }
            double fu = f.applyAsDouble(u);
            if (fu <= fx) {
                if (u < x) {
                    b = x;
                } else {
                    a = x;
                }
                v = w;
                w = x;
                x = u;
                fv = fw;
                fw = fx;
                fx = fu;
            } else {
                if (u < x) {
                    a = u;
                } else {
                    b = u;
                }
                if (fu <= fw || w == x) {
                    v = w;
                    fv = fw;
                    w = u;
                    fw = fu;
                } else if (fu <= fv || v == x || v == w) {
                    v = u;
                    fv = fu;
                }
            }
        }
    }
}
