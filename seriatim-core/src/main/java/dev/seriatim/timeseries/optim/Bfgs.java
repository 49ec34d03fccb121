package dev.seriatim.timeseries.optim;

/**
 * The variable-metric (BFGS) minimiser of Nash (1990), the algorithm behind R's
 * {@code optim(method = "BFGS")}, with R's defaults: backtracking line search (step shrink 0.2,
 * Armijo constant 1e-4), relative tolerance sqrt(machine epsilon) on the objective, at most 100
 * iterations, and optim's numerical gradient (central differences of step ndeps = 1e-3 on the
 * scaled parameters x / parscale). Following R this closely is deliberate: ARIMA estimates are
 * only determined to about the optimiser's tolerance, and taking the same path lands on R's
 * numbers, not just near them.
 */
public final class Bfgs {

    /** Where the search stopped. */
    public record Result(double[] x, double value, boolean converged, int evaluations) {
    }

    private static final double STEP_SHRINK = 0.2;
    private static final double ACCEPT = 1e-4;
    private static final double REL_TEST = 10.0;
    public static final double NDEPS = 1e-3;
    public static final double REL_TOL = Math.sqrt(Math.ulp(1.0));

    private final Objective f;
    private final double[] scale;
    private final int maxIterations;
    private int evaluations;

    public Bfgs(Objective f, double[] parscale, int maxIterations) {
        this.f = f;
        this.scale = parscale.clone();
        this.maxIterations = maxIterations;
    }

    public static Result minimize(Objective f, double[] start, double[] parscale) {
        return new Bfgs(f, parscale, 100).run(start);
    }

    /** f at unscaled x. */
    private double eval(double[] scaled) {
        double[] x = new double[scaled.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = scaled[i] * scale[i];
        }
        evaluations++;
        return f.value(x);
    }

    /** optim's numerical gradient with respect to the scaled parameters. */
    double[] gradient(double[] b) {
        int n = b.length;
        double[] g = new double[n];
        double[] x = b.clone();
        for (int i = 0; i < n; i++) {
            double eps = NDEPS;
            x[i] = b[i] + eps;
            double v1 = eval(x);
            x[i] = b[i] - eps;
            double v2 = eval(x);
            g[i] = (v1 - v2) / (2 * eps);
            if (!Double.isFinite(g[i])) {
                throw new ArithmeticException("non-finite finite-difference gradient");
            }
            x[i] = b[i];
        }
        return g;
    }

    public Result run(double[] start) {
        int n = start.length;
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = start[i] / scale[i];
        }
        if (n == 0) {
            return new Result(start.clone(), eval(b), true, evaluations);
        }
        double fmin = eval(b);
        if (!Double.isFinite(fmin)) {
            throw new ArithmeticException("initial value in 'vmmin' is not finite");
        }
        double[] g = gradient(b);
        int gradCount = 1;
        int iter = 1;
        int ilast = gradCount;
        double[][] h = new double[n][n];
        double[] t = new double[n];
        double[] xOld = new double[n];
        double[] cOld = new double[n];
        int count;
        boolean converged = true;
        do {
            if (ilast == gradCount) {
                for (int i = 0; i < n; i++) {
                    java.util.Arrays.fill(h[i], 0);
                    h[i][i] = 1;
                }
            }
            System.arraycopy(b, 0, xOld, 0, n);
            System.arraycopy(g, 0, cOld, 0, n);
            double gradProj = 0;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s -= h[i][j] * g[j];
                }
                t[i] = s;
                gradProj += s * g[i];
            }
            if (gradProj < 0) {
                double step = 1.0;
                boolean accepted = false;
                double fv = fmin;
                do {
                    count = 0;
                    for (int i = 0; i < n; i++) {
                        b[i] = xOld[i] + step * t[i];
                        if (REL_TEST + xOld[i] == REL_TEST + b[i]) {
                            count++;
                        }
                    }
                    if (count < n) {
                        fv = eval(b);
                        accepted = Double.isFinite(fv) && fv <= fmin + gradProj * step * ACCEPT;
                        if (!accepted) {
                            step *= STEP_SHRINK;
                        }
                    }
                } while (!(count == n || accepted));
                boolean enough = Math.abs(fv - fmin) > REL_TOL * (Math.abs(fmin) + REL_TOL);
                if (!enough) {
                    count = n;
                    fmin = fv;
                }
                if (count < n) {
                    fmin = fv;
                    g = gradient(b);
                    gradCount++;
                    iter++;
                    double d1 = 0;
                    for (int i = 0; i < n; i++) {
                        t[i] *= step;
                        cOld[i] = g[i] - cOld[i];
                        d1 += t[i] * cOld[i];
                    }
                    if (d1 > 0) {
                        double d2 = 0;
                        for (int i = 0; i < n; i++) {
                            double s = 0;
                            for (int j = 0; j < n; j++) {
                                s += h[i][j] * cOld[j];
                            }
                            xOld[i] = s;
                            d2 += s * cOld[i];
                        }
                        d2 = 1 + d2 / d1;
                        for (int i = 0; i < n; i++) {
                            for (int j = 0; j < n; j++) {
                                h[i][j] += (d2 * t[i] * t[j] - xOld[i] * t[j] - t[i] * xOld[j]) / d1;
                            }
                        }
                    } else {
                        ilast = gradCount;
                    }
                } else if (ilast < gradCount) {
                    count = 0;
                    ilast = gradCount;
                }
            } else {
                count = 0;
                if (ilast == gradCount) {
                    count = n;
                } else {
                    ilast = gradCount;
                }
            }
            if (iter >= maxIterations) {
                converged = false;
                break;
            }
            if (gradCount - ilast > 2 * n) {
                ilast = gradCount;
            }
        } while (count != n || ilast != gradCount);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = b[i] * scale[i];
        }
        return new Result(x, fmin, converged, evaluations);
    }

    /**
     * optim's numerical Hessian (optimhess) at unscaled x: central differences of the numerical
     * gradient, symmetrised, in unscaled units.
     */
    public static double[] hessian(Objective f, double[] x, double[] parscale) {
        int n = x.length;
        Bfgs helper = new Bfgs(f, parscale, 0);
        double[] dpar = new double[n];
        for (int i = 0; i < n; i++) {
            dpar[i] = x[i] / parscale[i];
        }
        double[] hess = new double[n * n];
        for (int i = 0; i < n; i++) {
            double eps = NDEPS / parscale[i];
            dpar[i] += eps;
            double[] g1 = helper.gradient(dpar);
            dpar[i] -= 2 * eps;
            double[] g2 = helper.gradient(dpar);
            for (int j = 0; j < n; j++) {
                hess[i * n + j] = (g1[j] - g2[j]) / (2 * eps * parscale[i] * parscale[j]);
            }
            dpar[i] += eps;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double s = 0.5 * (hess[i * n + j] + hess[j * n + i]);
                hess[i * n + j] = s;
                hess[j * n + i] = s;
            }
        }
        return hess;
    }
}
