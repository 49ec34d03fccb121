package dev.seriatim.timeseries.arima;

import dev.seriatim.timeseries.BoxCox;
import dev.seriatim.timeseries.linalg.LeastSquares;
import dev.seriatim.timeseries.linalg.LinearSolver;
import dev.seriatim.timeseries.optim.Bfgs;
import dev.seriatim.timeseries.optim.Objective;
import java.util.ArrayList;
import java.util.List;

/**
 * Fits ARIMA models the way R's {@code forecast::Arima} (over {@code stats::arima}) does:
 *
 * <ol>
 *   <li>regression coefficients (intercept, drift, regressors) start at least squares on the
 *       differenced data; their scale for the optimiser is 10 standard errors;
 *   <li>CSS-ML: minimise the conditional sum of squares, then the exact likelihood (Kalman
 *       filter) from there, with the AR blocks on the PACF scale so every step is stationary;
 *   <li>MA roots inside the unit circle are inverted after fitting;
 *   <li>standard errors from the numerical Hessian, mapped back through the PACF transform.
 * </ol>
 *
 * <p>With two or more regression columns the fit runs on rotated columns, as R's
 * ({@link RegressorRotation}).
 */
public final class ArimaEstimator {

    private ArimaEstimator() {
    }

    /** Fits {@code spec} to y (NaN = missing). Throws IllegalArgumentException on bad input. */
    public static ArimaFit fit(double[] rawY, ArimaSpec spec) {
        return RegressorRotation.fit(rawY, spec);
    }

    /** The fit on the regression columns as given (no rotation). */
    static ArimaFit fitAsGiven(double[] rawY, ArimaSpec spec) {
        ArimaOrder o = spec.order();
        double[] y = Double.isNaN(spec.lambda()) ? rawY.clone() : BoxCox.transform(rawY, spec.lambda());
        int n = y.length;
        Problem pr = new Problem(y, spec);
        int narma = o.armaCount();
        int ncx = pr.columns.length;
        int k = narma + ncx;

        int usable = 0;
        for (int t = 0; t < n; t++) {
            if (!pr.rowMissing(t)) {
                usable++;
            }
        }
        int nUsed = usable - pr.delta.length;
        if (nUsed <= 0) {
            throw new IllegalArgumentException("too few non-missing observations for " + o + ": " + usable);
        }

        if (nUsed <= k) {
            throw new IllegalArgumentException("too few observations for " + o + ": " + usable + " non-missing, the model needs more than "
                    + (pr.delta.length + k));
        }
        ArimaSpec.Method method = spec.method();
        boolean anyMissing = usable < n;
        if (method == ArimaSpec.Method.CSS_ML && anyMissing) {
            method = ArimaSpec.Method.ML;
        }

        double[] init = new double[k];
        double[] parscale = new double[k];
        java.util.Arrays.fill(parscale, 0, narma, 1);
        if (ncx > 0) {
            LeastSquares.Result ls = pr.initialRegression();
            for (int j = 0; j < ncx; j++) {
                init[narma + j] = ls.coefficients()[j];
                double se = ls.standardErrors()[j];
                parscale[narma + j] = se > 0 && Double.isFinite(se) ? 10 * se : 1;
            }
        }

        if (method == ArimaSpec.Method.CSS) {
            return fitCss(pr, spec, rawY, init, parscale, nUsed);
        }
        boolean converged = true;
        if (method == ArimaSpec.Method.CSS_ML) {
            int ncond = o.lostToDifferencing() + o.p() + o.period() * o.seasonalP();
            Bfgs.Result css = Bfgs.minimize(par -> pr.cssObjective(par, ncond), init, parscale);
            if (css.converged()) {
                init = css.x();
            }
            if (!ArimaPolynomials.stationary(init, 0, o.p())) {
                throw new ArimaFitException("non-stationary AR part from CSS for " + o);
            }
            if (!ArimaPolynomials.stationary(init, o.p() + o.q(), o.seasonalP())) {
                throw new ArimaFitException("non-stationary seasonal AR part from CSS for " + o);
            }
        }
        double[] start = ArimaPolynomials.transform(init, o);
        MaInversion.invertInPlace(start, o.p(), o.q());
        MaInversion.invertInPlace(start, o.p() + o.q() + o.seasonalP(), o.seasonalQ());

        Objective ml = par -> pr.mlObjective(par, true);
        Bfgs.Result res;
        try {
            res = Bfgs.minimize(ml, start, parscale);
        } catch (ArithmeticException e) {
            throw new ArimaFitException("maximum likelihood failed for " + o + ": " + e.getMessage());
        }
        converged = res.converged();
        double[] raw = res.x().clone();
        MaInversion.invertInPlace(raw, o.p(), o.q());
        MaInversion.invertInPlace(raw, o.p() + o.q() + o.seasonalP(), o.seasonalQ());
        double value = java.util.Arrays.equals(raw, res.x()) ? res.value() : ml.value(raw);

        double[] covariance = covariance(ml, raw, parscale, nUsed, o, k);
        double[] coef = ArimaPolynomials.untransform(raw, o);
        return finish(pr, spec, rawY, coef, covariance, value, nUsed, converged);
    }

    /** R's var = A' (H n_used)^-1 A with A the Jacobian of the PACF transform (forward differences). */
    private static double[] covariance(Objective ml, double[] raw, double[] parscale, int nUsed, ArimaOrder o, int k) {
        double[] cov = new double[k * k];
        if (k == 0) {
            return cov;
        }
        try {
            double[] h = Bfgs.hessian(ml, raw, parscale);
            for (int i = 0; i < h.length; i++) {
                h[i] *= nUsed;
            }
            double[] hinv = LinearSolver.factor(h, k).inverse();
            double[] a = transformJacobian(raw, o, k);
            // cov = A' hinv A
            double[] tmp = new double[k * k];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    double s = 0;
                    for (int l = 0; l < k; l++) {
                        s += hinv[i * k + l] * a[l * k + j];
                    }
                    tmp[i * k + j] = s;
                }
            }
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    double s = 0;
                    for (int l = 0; l < k; l++) {
                        s += a[l * k + i] * tmp[l * k + j];
                    }
                    cov[i * k + j] = s;
                }
            }
        } catch (ArithmeticException e) {
            java.util.Arrays.fill(cov, Double.NaN);
        }
        return cov;
    }

    /** A[i][j] = d coef_j / d raw_i by forward differences of step 1e-3 (R's ARIMA_Gradtrans). */
    private static double[] transformJacobian(double[] raw, ArimaOrder o, int k) {
        double[] a = new double[k * k];
        for (int i = 0; i < k; i++) {
            a[i * k + i] = 1;
        }
        block(raw, 0, o.p(), a, k);
        block(raw, o.p() + o.q(), o.seasonalP(), a, k);
        return a;
    }

    private static void block(double[] raw, int from, int count, double[] a, int k) {
        if (count == 0) {
            return;
        }
        double eps = 1e-3;
        double[] w = raw.clone();
        double[] base = PacfTransform.toAr(w, from, count);
        for (int i = 0; i < count; i++) {
            w[from + i] += eps;
            double[] moved = PacfTransform.toAr(w, from, count);
            for (int j = 0; j < count; j++) {
                a[(from + i) * k + from + j] = (moved[j] - base[j]) / eps;
            }
            w[from + i] -= eps;
        }
    }

    private static ArimaFit fitCss(Problem pr, ArimaSpec spec, double[] rawY, double[] init, double[] parscale,
            int nUsed) {
        ArimaOrder o = spec.order();
        int ncond = o.lostToDifferencing() + o.p() + o.period() * o.seasonalP();
        Objective css = par -> pr.cssObjective(par, ncond);
        Bfgs.Result res = Bfgs.minimize(css, init, parscale);
        int k = init.length;
        double[] cov = new double[k * k];
        try {
            double[] h = Bfgs.hessian(css, res.x(), parscale);
            for (int i = 0; i < h.length; i++) {
                h[i] *= nUsed;
            }
            cov = k == 0 ? cov : LinearSolver.factor(h, k).inverse();
        } catch (ArithmeticException e) {
            java.util.Arrays.fill(cov, Double.NaN);
        }
        double[] coef = res.x();
        double[] x = pr.regressionResiduals(coef);
        double[] resid = new double[x.length];
        ArimaPolynomials poly = ArimaPolynomials.expand(coef, o);
        double meanSquare = ConditionalSumOfSquares.meanSquare(ConditionalSumOfSquares.differenced(x, o),
                poly.phi(), poly.theta(), ncond, resid);
        double value = 0.5 * Math.log(meanSquare);
        double loglik = -0.5 * (2 * nUsed * value + nUsed + nUsed * Math.log(2 * Math.PI));
        int nStar = pr.nStar(resid);
        double ssq = 0;
        for (double e : resid) {
            if (!Double.isNaN(e)) {
                ssq += e * e;
            }
        }
        double[] se = standardErrors(cov, k);
        // R reports no AIC for CSS fits; forecast's auto.arima derives its own criterion from sigma2.
        return new ArimaFit(spec, pr.names, coef, se, cov, meanSquare, meanSquare, loglik, Double.NaN, Double.NaN,
                Double.NaN, nUsed, nStar, resid, pr.y, rawY, res.converged());
    }

    static ArimaFit finish(Problem pr, ArimaSpec spec, double[] rawY, double[] coef, double[] covariance,
            double value, int nUsed, boolean converged) {
        ArimaOrder o = spec.order();
        int k = coef.length;
        ArimaPolynomials poly = ArimaPolynomials.expand(coef, o);
        ArimaStateSpace ss = new ArimaStateSpace(poly.phi(), poly.theta(), pr.delta);
        double[] resid = new double[pr.y.length];
        ArimaStateSpace.Likelihood lik = ss.filter(pr.regressionResiduals(coef), resid);
        double sigma2Mle = lik.ssq() / nUsed;
        double minus2ll = 2 * nUsed * value + nUsed + nUsed * Math.log(2 * Math.PI);
        double loglik = -0.5 * minus2ll;
        double aic = minus2ll + 2 * k + 2;
        int nStar = pr.nStar(resid);
        int npar = k + 1;
        double aicc = aic + 2.0 * npar * ((double) nStar / (nStar - npar - 1) - 1);
        double bic = aic + npar * (Math.log(nStar) - 2);
        double ssq = 0;
        for (double e : resid) {
            if (!Double.isNaN(e)) {
                ssq += e * e;
            }
        }
        double sigma2 = ssq / (nStar - npar + 1);
        return new ArimaFit(spec, pr.names, coef, standardErrors(covariance, k), covariance, sigma2, sigma2Mle,
                loglik, aic, aicc, bic, nUsed, nStar, resid, pr.y, rawY, converged);
    }

    private static double[] standardErrors(double[] cov, int k) {
        double[] se = new double[k];
        for (int i = 0; i < k; i++) {
            double v = cov[i * k + i];
            se[i] = v >= 0 ? Math.sqrt(v) : Double.NaN;
        }
        return se;
    }

    /** The data of one fit: the series, the regression columns and the differencing polynomial. */
    static final class Problem {
        final double[] y;
        final ArimaSpec spec;
        final double[][] columns;
        final List<String> names = new ArrayList<>();
        final double[] delta;
        private final int narma;
        /** The likelihood workspace of a stationary model on complete data (else null), reused by every evaluation. */
        private final ChandrasekharFilter chandrasekhar;
        private final double[] residualBuffer;
        /** The full filter otherwise, created at the first evaluation and reset for the next ones. */
        private ArimaStateSpace stateSpace;

        Problem(double[] y, ArimaSpec spec) {
            this.y = y;
            this.spec = spec;
            ArimaOrder o = spec.order();
            this.narma = o.armaCount();
            this.delta = ArimaPolynomials.differencing(o);
            for (int i = 1; i <= o.p(); i++) {
                names.add("ar" + i);
            }
            for (int i = 1; i <= o.q(); i++) {
                names.add("ma" + i);
            }
            for (int i = 1; i <= o.seasonalP(); i++) {
                names.add("sar" + i);
            }
            for (int i = 1; i <= o.seasonalQ(); i++) {
                names.add("sma" + i);
            }
            List<double[]> cols = new ArrayList<>();
            int n = y.length;
            if (spec.hasIntercept()) {
                double[] c = new double[n];
                java.util.Arrays.fill(c, 1);
                cols.add(c);
                names.add("intercept");
            }
            if (spec.hasDrift()) {
                double[] c = new double[n];
                for (int t = 0; t < n; t++) {
                    c[t] = t + 1;
                }
                cols.add(c);
                names.add("drift");
            }
            for (int j = 0; j < spec.xreg().length; j++) {
                if (spec.xreg()[j].length != n) {
                    throw new IllegalArgumentException("regressor " + spec.xregNames().get(j) + " has "
                            + spec.xreg()[j].length + " values, the series " + n);
                }
                cols.add(spec.xreg()[j]);
                names.add(spec.xregNames().get(j));
            }
            this.columns = cols.toArray(new double[0][]);
            this.residualBuffer = new double[n];
            boolean complete = true;
            for (int t = 0; t < n; t++) {
                complete &= !rowMissing(t);
            }
            // A stationary model on complete data: the Chandrasekhar recursions, O(r) a step.
            int r = Math.max(o.p() + o.period() * o.seasonalP(), o.q() + o.period() * o.seasonalQ() + 1);
            this.chandrasekhar = complete && delta.length == 0 ? new ChandrasekharFilter(r) : null;
        }

        boolean rowMissing(int t) {
            if (Double.isNaN(y[t])) {
                return true;
            }
            for (double[] c : columns) {
                if (Double.isNaN(c[t])) {
                    return true;
                }
            }
            return false;
        }

        /** y - X beta. */
        double[] regressionResiduals(double[] par) {
            return regressionResiduals(par, columns.length == 0 ? null : new double[y.length]);
        }

        /** y - X beta into buffer (y itself when there are no regressors). */
        private double[] regressionResiduals(double[] par, double[] buffer) {
            if (columns.length == 0) {
                return y;
            }
            double[] x = buffer;
            System.arraycopy(y, 0, x, 0, y.length);
            for (int j = 0; j < columns.length; j++) {
                double b = par[narma + j];
                double[] c = columns[j];
                for (int t = 0; t < x.length; t++) {
                    x[t] -= b * c[t];
                }
            }
            return x;
        }

        double cssObjective(double[] par, int ncond) {
            ArimaPolynomials poly = ArimaPolynomials.expand(par, spec.order());
            double[] w = ConditionalSumOfSquares.differenced(regressionResiduals(par), spec.order());
            return 0.5 * Math.log(ConditionalSumOfSquares.meanSquare(w, poly.phi(), poly.theta(), ncond, null));
        }

        double mlObjective(double[] par, boolean transformed) {
            double[] coef = transformed ? ArimaPolynomials.untransform(par, spec.order()) : par;
            ArimaPolynomials poly = ArimaPolynomials.expand(coef, spec.order());
            try {
                if (chandrasekhar != null) {
                    return chandrasekhar.run(poly.phi(), poly.theta(), regressionResiduals(coef, residualBuffer))
                            .objective();
                }
                if (stateSpace == null) {
                    stateSpace = new ArimaStateSpace(poly.phi(), poly.theta(), delta);
                } else {
                    stateSpace.reset(poly.phi(), poly.theta());
                }
                return stateSpace.filter(regressionResiduals(coef, residualBuffer), null).objective();
            } catch (ArithmeticException e) {
                return Double.MAX_VALUE;
            }
        }

        /** Least squares of the differenced series on the differenced regressors (R's lm start). */
        LeastSquares.Result initialRegression() {
            ArimaOrder o = spec.order();
            double[] dy = ConditionalSumOfSquares.differenced(y, o);
            int lost = o.lostToDifferencing();
            int len = y.length - lost;
            double[][] dx = new double[Math.max(len, 0)][columns.length];
            double[][] dcols = new double[columns.length][];
            for (int j = 0; j < columns.length; j++) {
                dcols[j] = ConditionalSumOfSquares.differenced(columns[j], o);
            }
            double[] yy = new double[Math.max(len, 0)];
            for (int t = 0; t < len; t++) {
                yy[t] = dy[t + lost];
                for (int j = 0; j < columns.length; j++) {
                    dx[t][j] = dcols[j][t + lost];
                }
            }
            try {
                if (len > columns.length) {
                    return LeastSquares.fit(yy, dx);
                }
            } catch (ArithmeticException e) {
                // rank deficient after differencing: regress on the undifferenced data, as R does
            }
            double[][] ux = new double[y.length][columns.length];
            for (int t = 0; t < y.length; t++) {
                for (int j = 0; j < columns.length; j++) {
                    ux[t][j] = columns[j][t];
                }
            }
            try {
                return LeastSquares.fit(y, ux);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("the regressors are collinear (or constant after differencing)");
            }
        }

        /**
         * forecast's n*: non-missing residuals between the first and last non-missing one, less
         * d + mD.
         */
        int nStar(double[] resid) {
            int first = -1, last = -1;
            for (int t = 0; t < resid.length; t++) {
                if (!Double.isNaN(resid[t])) {
                    if (first < 0) {
                        first = t;
                    }
                    last = t;
                }
            }
            int count = 0;
            for (int t = first; t >= 0 && t <= last; t++) {
                if (!Double.isNaN(resid[t])) {
                    count++;
                }
            }
            return count - spec.order().lostToDifferencing();
        }
    }
}
