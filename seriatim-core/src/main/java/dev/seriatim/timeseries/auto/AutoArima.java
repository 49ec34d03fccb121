package dev.seriatim.timeseries.auto;

import dev.seriatim.timeseries.BoxCox;
import dev.seriatim.timeseries.arima.ArimaEstimator;
import dev.seriatim.timeseries.arima.ArimaFit;
import dev.seriatim.timeseries.arima.ArimaOrder;
import dev.seriatim.timeseries.arima.ArimaPolynomials;
import dev.seriatim.timeseries.arima.ArimaSpec;
import dev.seriatim.timeseries.linalg.PolynomialRoots;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Automatic ARIMA order selection as R forecast 8.x's {@code auto.arima}: seasonal differences
 * D from the STL seasonal strength (> 0.64), differences d from repeated KPSS tests, then the
 * stepwise Hyndman-Khandakar search on AICc (or an exhaustive search up to max.order), with
 * R's bounds, starting models and neighbour order. For long series (n > 150) or m > 12 the
 * search ranks models by the CSS approximation and refits the winners by exact ML. Candidates
 * with an AR or MA root within 1.01 of the unit circle, or a non-positive coefficient
 * variance, are rejected.
 *
 * <p>With regressors (R's {@code auto.arima(y, xreg = X)}) every candidate is a regression with
 * ARIMA errors, and the differencing tests look at the residuals of the series regressed on the
 * regressors ({@link Regressors}).
 *
 * <p>Differences from R: a constant series (or, without regressors, one that differencing makes
 * constant) is an error here, where R returns a fixed-coefficient fit.
 */
public final class AutoArima {

    /** Which information criterion ranks candidates. */
    public enum Criterion { AICC, AIC, BIC }

    /** auto.arima's arguments with its defaults ({@link #defaults()}). */
    public record Options(int maxP, int maxQ, int maxSeasonalP, int maxSeasonalQ, int maxOrder, int maxD,
            int maxSeasonalD, int startP, int startQ, int startSeasonalP, int startSeasonalQ, int d, int seasonalD,
            boolean stepwise, Boolean approximation, boolean allowMean, boolean allowDrift, double lambda,
            int maxModels, Criterion criterion, boolean seasonal) {

        public static Options defaults() {
            return new Options(5, 5, 2, 2, 5, 2, 1, 2, 2, 1, 1, -1, -1, true, null, true, true, Double.NaN, 94,
                    Criterion.AICC, true);
        }

        public Options withStepwise(boolean s) {
            return new Options(maxP, maxQ, maxSeasonalP, maxSeasonalQ, maxOrder, maxD, maxSeasonalD, startP, startQ,
                    startSeasonalP, startSeasonalQ, d, seasonalD, s, approximation, allowMean, allowDrift, lambda,
                    maxModels, criterion, seasonal);
        }

        public Options withLambda(double l) {
            return new Options(maxP, maxQ, maxSeasonalP, maxSeasonalQ, maxOrder, maxD, maxSeasonalD, startP, startQ,
                    startSeasonalP, startSeasonalQ, d, seasonalD, stepwise, approximation, allowMean, allowDrift, l,
                    maxModels, criterion, seasonal);
        }

        public Options withApproximation(Boolean a) {
            return new Options(maxP, maxQ, maxSeasonalP, maxSeasonalQ, maxOrder, maxD, maxSeasonalD, startP, startQ,
                    startSeasonalP, startSeasonalQ, d, seasonalD, stepwise, a, allowMean, allowDrift, lambda,
                    maxModels, criterion, seasonal);
        }

        /** allowmean and allowdrift together. */
        public Options withConstant(boolean allowed) {
            return new Options(maxP, maxQ, maxSeasonalP, maxSeasonalQ, maxOrder, maxD, maxSeasonalD, startP, startQ,
                    startSeasonalP, startSeasonalQ, d, seasonalD, stepwise, approximation, allowed, allowed, lambda,
                    maxModels, criterion, seasonal);
        }
    }

    /** One model the search fitted, with its criterion (+Inf when rejected or failed). */
    public record Candidate(ArimaOrder order, boolean constant, double criterion) {
    }

    /** The chosen model, refitted exactly, and every candidate tried. */
    public record Result(ArimaFit fit, List<Candidate> candidates) {
    }

    private AutoArima() {
    }

    public static Result fit(double[] series, int frequency, Options o) {
        return fit(series, frequency, o, new double[0][], List.of());
    }

    /**
     * With regressors xreg[j][t] (one value per observation, no missing values) named xregNames.
     */
    public static Result fit(double[] series, int frequency, Options o, double[][] xreg, List<String> xregNames) {
        if (xreg.length != xregNames.size()) {
            throw new IllegalArgumentException("one name per regressor is needed");
        }
        for (int j = 0; j < xreg.length; j++) {
            if (xreg[j].length != series.length) {
                throw new IllegalArgumentException("regressor " + xregNames.get(j) + " has " + xreg[j].length
                        + " values, the series " + series.length);
            }
        }
        int first = 0;
        while (first < series.length && Double.isNaN(series[first])) {
            first++;
        }
        if (first == series.length) {
            throw new IllegalArgumentException("all values are missing");
        }
        double[] x = Arrays.copyOfRange(series, first, series.length);
        double[][] reg = new double[xreg.length][];
        for (int j = 0; j < reg.length; j++) {
            reg[j] = Arrays.copyOfRange(xreg[j], first, series.length);
        }
        int last = x.length - 1;
        while (Double.isNaN(x[last])) {
            last--;
        }
        int seriesLength = 0;
        for (int t = 0; t <= last; t++) {
            if (!Double.isNaN(x[t])) {
                seriesLength++;
            }
        }
        if (isConstant(x)) {
            throw new IllegalArgumentException("the series is constant; there is nothing to model");
        }
        int m = o.seasonal() ? Math.max(1, frequency) : 1;
        int maxP = Math.min(o.maxP(), seriesLength / 3);
        int maxQ = Math.min(o.maxQ(), seriesLength / 3);
        int maxSP = Math.min(o.maxSeasonalP(), seriesLength / 3 / m);
        int maxSQ = Math.min(o.maxSeasonalQ(), seriesLength / 3 / m);
        Criterion ic = seriesLength <= 3 ? Criterion.AIC : o.criterion();
        double lambda = o.lambda();
        double[] xx = Double.isNaN(lambda) ? x : BoxCox.transform(x, lambda);
        xx = Regressors.residuals(xx, reg);

        int bigD = o.seasonalD();
        if (m == 1) {
            bigD = 0;
            maxSP = 0;
            maxSQ = 0;
        } else if (bigD < 0 && xx.length <= 2 * m) {
            bigD = 0;
        } else if (bigD < 0) {
            bigD = seasonalDifferences(xx, m, o.maxSeasonalD());
            if (bigD > 0 && Regressors.differencingMakesConstant(reg, m, bigD, 0)) {
                bigD--;
            }
        }
        double[] dx = xx;
        for (int i = 0; i < bigD; i++) {
            dx = KpssTest.difference(dx, m);
        }
        int d = o.d();
        if (d < 0) {
            d = KpssTest.differencesNeeded(dx, 0.05, o.maxD());
            if (d > 0 && Regressors.differencingMakesConstant(reg, m, bigD, d)) {
                d--;
            }
        }
        for (int i = 0; i < d; i++) {
            dx = KpssTest.difference(dx, 1);
        }
        if (dx.length == 0 || KpssTest.dropMissing(dx).length == 0) {
            throw new IllegalArgumentException("not enough data to choose a model");
        }
        if (isConstant(dx) && reg.length > 0) {
            // R: the regression alone explains the differenced series; fit ARIMA(0,d,0)(0,D,0) with it.
            ArimaSpec spec = ArimaSpec.of(new ArimaOrder(0, d, 0, 0, bigD, 0, m)).withLambda(lambda)
                    .withRegressors(reg, xregNames);
            return new Result(ArimaEstimator.fit(x, spec), List.of());
        }
        if (isConstant(dx)) {
            throw new IllegalArgumentException("the differenced series is constant: the data follow a simple "
                    + "deterministic pattern, not an ARIMA process");
        }
        if (m > 1) {
            if (maxSP > 0) {
                maxP = Math.min(maxP, m - 1);
            }
            if (maxSQ > 0) {
                maxQ = Math.min(maxQ, m - 1);
            }
        }
        boolean approximation = o.approximation() != null ? o.approximation() : (x.length > 150 || m > 12);
        Search s = new Search(x, reg, xregNames, m, d, bigD, lambda, ic, approximation, seriesLength);
        if (approximation) {
            try {
                // stats::arima's defaults here: CSS-ML, a mean when undifferenced.
                ArimaFit base = ArimaEstimator.fit(x, ArimaSpec.of(new ArimaOrder(0, d, 0, 0, bigD, 0, m))
                        .withLambda(lambda).withRegressors(reg, xregNames));
                s.offset = -2 * base.loglik() - seriesLength * Math.log(base.sigma2Mle());
            } catch (IllegalArgumentException | ArithmeticException e) {
                s.offset = 0;
            }
        }
        boolean allowDrift = o.allowDrift() && d + bigD == 1;
        boolean allowMean = o.allowMean() && d + bigD == 0;
        if (!o.stepwise()) {
            return s.exhaustive(maxP, maxQ, maxSP, maxSQ, o.maxOrder(), allowDrift || allowMean);
        }
        return s.stepwise(o, maxP, maxQ, maxSP, maxSQ, allowDrift || allowMean);
    }

    /** forecast's nsdiffs with the seasonal-strength test. */
    static int seasonalDifferences(double[] x, int m, int maxD) {
        if (isConstant(x) || m >= x.length) {
            return 0;
        }
        int bigD = 0;
        boolean diff = SeasonalStrength.of(x, m) > SeasonalStrength.THRESHOLD;
        double[] y = x;
        while (diff && bigD < maxD) {
            bigD++;
            y = KpssTest.difference(y, m);
            if (isConstant(y)) {
                return bigD;
            }
            diff = y.length >= 2 * m && bigD < maxD && SeasonalStrength.of(y, m) > SeasonalStrength.THRESHOLD;
        }
        if (bigD > 0 && KpssTest.dropMissing(y).length == 0) {
            bigD--;
        }
        return bigD;
    }

    /** R's is.constant: all.equal to the first value (mean relative difference below 1.5e-8). */
    static boolean isConstant(double[] x) {
        double[] v = KpssTest.dropMissing(x);
        if (v.length == 0) {
            return true;
        }
        double diff = 0, scale = 0;
        for (double e : v) {
            diff += Math.abs(e - v[0]);
            scale += Math.abs(v[0]);
        }
        return scale > 0 ? diff / scale < 1.5e-8 : diff < 1.5e-8;
    }

    /** The state of one search: data, differencing, criterion and every candidate tried. */
    private static final class Search {
        final double[] x;
        final double[][] xreg;
        final List<String> xregNames;
        final int m, d, bigD, nStar;
        final double lambda;
        final Criterion ic;
        final boolean approximation;
        double offset;
        final List<Candidate> tried = new ArrayList<>();

        Search(double[] x, double[][] xreg, List<String> xregNames, int m, int d, int bigD, double lambda, Criterion ic,
                boolean approximation, int seriesLength) {
            this.x = x;
            this.xreg = xreg;
            this.xregNames = xregNames;
            this.m = m;
            this.d = d;
            this.bigD = bigD;
            this.lambda = lambda;
            this.ic = ic;
            this.approximation = approximation;
            this.nStar = seriesLength - d - bigD * m;
        }

        ArimaOrder order(int p, int q, int sp, int sq) {
            return new ArimaOrder(p, d, q, sp, bigD, sq, m);
        }

        /** forecast's myarima: fit, score, reject near-unit roots. Null fit when it failed. */
        Scored fit(int p, int q, int sp, int sq, boolean constant, boolean approx) {
            ArimaOrder ord = order(p, q, sp, sq);
            ArimaSpec spec = ArimaSpec.of(ord).withMean(constant).withDrift(constant && ord.differences() == 1)
                    .withLambda(lambda).withMethod(approx ? ArimaSpec.Method.CSS : ArimaSpec.Method.CSS_ML)
                    .withRegressors(xreg, xregNames);
            ArimaFit f;
            try {
                f = ArimaEstimator.fit(x, spec);
            } catch (IllegalArgumentException | ArithmeticException e) {
                return new Scored(null, ord, constant, Double.POSITIVE_INFINITY);
            }
            int npar = f.parameterCount() + 1;
            double aic = approx ? offset + nStar * Math.log(f.sigma2Mle()) + 2 * npar : f.aic();
            double value;
            if (Double.isNaN(aic)) {
                value = Double.POSITIVE_INFINITY;
            } else {
                value = switch (ic) {
                    case AIC -> aic;
                    case BIC -> aic + npar * (Math.log(nStar) - 2);
                    case AICC -> aic + 2.0 * npar * (npar + 1) / (nStar - npar - 1);
                };
            }
            if (Double.isNaN(value) || nearUnitRoot(f) || badVariance(f)) {
                value = Double.POSITIVE_INFINITY;
            }
            return new Scored(f, ord, constant, value);
        }

        Result stepwise(Options o, int maxP, int maxQ, int maxSP, int maxSQ, boolean allowConstant) {
            int startP = o.startP(), startQ = o.startQ(), startSP = o.startSeasonalP(), startSQ = o.startSeasonalQ();
            if (x.length < 10) {
                startP = Math.min(startP, 1);
                startQ = Math.min(startQ, 1);
                startSP = 0;
                startSQ = 0;
            }
            int p = Math.min(startP, maxP), q = Math.min(startQ, maxQ);
            int sp = Math.min(startSP, maxSP), sq = Math.min(startSQ, maxSQ);
            boolean constant = allowConstant;
            int nModels = o.maxModels();
            Scored best = record(fit(p, q, sp, sq, constant, approximation));
            Scored f = record(fit(0, 0, 0, 0, constant, approximation));
            if (f.value < best.value) {
                best = f;
                p = q = sp = sq = 0;
            }
            if (maxP > 0 || maxSP > 0) {
                int np = maxP > 0 ? 1 : 0, nsp = m > 1 && maxSP > 0 ? 1 : 0;
                f = record(fit(np, 0, nsp, 0, constant, approximation));
                if (f.value < best.value) {
                    best = f;
                    p = np;
                    sp = nsp;
                    q = sq = 0;
                }
            }
            if (maxQ > 0 || maxSQ > 0) {
                int nq = maxQ > 0 ? 1 : 0, nsq = m > 1 && maxSQ > 0 ? 1 : 0;
                f = record(fit(0, nq, 0, nsq, constant, approximation));
                if (f.value < best.value) {
                    best = f;
                    p = sp = 0;
                    q = nq;
                    sq = nsq;
                }
            }
            if (constant) {
                f = record(fit(0, 0, 0, 0, false, approximation));
                if (f.value < best.value) {
                    best = f;
                    p = q = sp = sq = 0;
                }
            }
            int startK = 0;
            search:
            while (startK < tried.size() && tried.size() < nModels) {
                startK = tried.size();
                // R's neighbour order: seasonal moves first, then non-seasonal, then the constant.
                int[][] moves = {
                        {0, 0, -1, 0}, {0, 0, 0, -1}, {0, 0, 1, 0}, {0, 0, 0, 1},
                        {0, 0, -1, -1}, {0, 0, -1, 1}, {0, 0, 1, -1}, {0, 0, 1, 1},
                        {-1, 0, 0, 0}, {0, -1, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0},
                        {-1, -1, 0, 0}, {-1, 1, 0, 0}, {1, -1, 0, 0}, {1, 1, 0, 0}};
                for (int[] mv : moves) {
                    int np = p + mv[0], nq = q + mv[1], nsp = sp + mv[2], nsq = sq + mv[3];
                    if (np < 0 || nq < 0 || nsp < 0 || nsq < 0 || np > maxP || nq > maxQ || nsp > maxSP || nsq > maxSQ) {
                        continue;
                    }
                    if (!isNew(np, nq, nsp, nsq, constant)) {
                        continue;
                    }
                    if (tried.size() + 1 > nModels) {
                        tried.add(new Candidate(order(np, nq, nsp, nsq), constant, Double.NaN));
                        continue search;
                    }
                    f = record(fit(np, nq, nsp, nsq, constant, approximation));
                    if (f.value < best.value) {
                        best = f;
                        p = np;
                        q = nq;
                        sp = nsp;
                        sq = nsq;
                        continue search;
                    }
                }
                if (allowConstant && isNew(p, q, sp, sq, !constant)) {
                    if (tried.size() + 1 > nModels) {
                        tried.add(new Candidate(order(p, q, sp, sq), !constant, Double.NaN));
                        continue;
                    }
                    f = record(fit(p, q, sp, sq, !constant, approximation));
                    if (f.value < best.value) {
                        best = f;
                        constant = !constant;
                    }
                }
            }
            List<Candidate> done = tried.stream().filter(c -> !Double.isNaN(c.criterion())).toList();
            if (approximation && best.fit != null) {
                best = refitInOrder(done);
            }
            if (best == null || best.fit == null || best.value == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("no suitable ARIMA model found");
            }
            return new Result(best.fit, List.copyOf(done));
        }

        /** Without the approximation: refit candidates from the best criterion down; the first that fits wins. */
        Scored refitInOrder(List<Candidate> done) {
            List<Candidate> ranked = new ArrayList<>(done);
            ranked.sort((a, b) -> Double.compare(a.criterion(), b.criterion()));
            for (Candidate c : ranked) {
                ArimaOrder ord = c.order();
                Scored f = fit(ord.p(), ord.q(), ord.seasonalP(), ord.seasonalQ(), c.constant(), false);
                if (f.value < Double.POSITIVE_INFINITY) {
                    return f;
                }
            }
            return null;
        }

        Result exhaustive(int maxP, int maxQ, int maxSP, int maxSQ, int maxOrder, boolean allowConstant) {
            Scored best = null;
            for (int i = 0; i <= maxP; i++) {
                for (int j = 0; j <= maxQ; j++) {
                    for (int si = 0; si <= maxSP; si++) {
                        for (int sj = 0; sj <= maxSQ; sj++) {
                            if (i + j + si + sj > maxOrder) {
                                continue;
                            }
                            for (int k = 0; k <= (allowConstant ? 1 : 0); k++) {
                                Scored f = record(fit(i, j, si, sj, k == 1, approximation));
                                if (best == null || f.value < best.value) {
                                    best = f;
                                }
                            }
                        }
                    }
                }
            }
            if (approximation && best != null && best.fit != null) {
                ArimaOrder ord = best.order;
                Scored refit = fit(ord.p(), ord.q(), ord.seasonalP(), ord.seasonalQ(), best.constant, false);
                if (refit.value == Double.POSITIVE_INFINITY) {
                    Search exact = new Search(x, xreg, xregNames, m, d, bigD, lambda, ic, false, nStar + d + bigD * m);
                    return exact.exhaustive(maxP, maxQ, maxSP, maxSQ, maxOrder, allowConstant);
                }
                best = refit;
            }
            if (best == null || best.fit == null || best.value == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("no ARIMA model could be estimated");
            }
            return new Result(best.fit, List.copyOf(tried));
        }

        Scored record(Scored s) {
            tried.add(new Candidate(s.order, s.constant, s.value));
            return s;
        }

        boolean isNew(int p, int q, int sp, int sq, boolean constant) {
            for (Candidate c : tried) {
                ArimaOrder o = c.order();
                if (o.p() == p && o.q() == q && o.seasonalP() == sp && o.seasonalQ() == sq && c.constant() == constant) {
                    return false;
                }
            }
            return true;
        }
    }

    private record Scored(ArimaFit fit, ArimaOrder order, boolean constant, double value) {
    }

    /** forecast's check: the smallest AR or MA root (of the expanded polynomials) within 1.01. */
    static boolean nearUnitRoot(ArimaFit f) {
        ArimaOrder o = f.order();
        ArimaPolynomials poly = ArimaPolynomials.expand(f.coefficients(), o);
        double min = 2;
        if (o.p() + o.seasonalP() > 0) {
            min = Math.min(min, minRoot(poly.phi(), -1));
        }
        if (o.q() + o.seasonalQ() > 0) {
            min = Math.min(min, minRoot(poly.theta(), 1));
        }
        return min < 1.01;
    }

    private static double minRoot(double[] coef, double sign) {
        int last = -1;
        for (int i = 0; i < coef.length; i++) {
            if (Math.abs(coef[i]) > 1e-8) {
                last = i;
            }
        }
        if (last < 0) {
            return 2;
        }
        double[] poly = new double[last + 2];
        poly[0] = 1;
        for (int i = 0; i <= last; i++) {
            poly[i + 1] = sign * coef[i];
        }
        return PolynomialRoots.minModulus(poly);
    }

    /** forecast's checkarima: a NaN standard error (negative variance) rejects the model. */
    static boolean badVariance(ArimaFit f) {
        for (double se : f.standardErrors()) {
            if (Double.isNaN(se)) {
                return true;
            }
        }
        return false;
    }
}
