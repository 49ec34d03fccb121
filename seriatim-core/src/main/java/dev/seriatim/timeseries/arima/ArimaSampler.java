package dev.seriatim.timeseries.arima;

import dev.seriatim.timeseries.BoxCox;
import java.util.Random;

/**
 * Future sample paths by ancestral sampling: each step asks the model for the distribution of
 * the next value given the path so far (the state-space prediction), draws it, and appends it
 * to the state, the same loop every Seriatim generator runs.
 *
 * <p>The path starts from the filtered state at the end of the data, itself drawn from its
 * Gaussian posterior N(a_n, sigma2 P_n), so the spread of many paths equals the analytic
 * forecast variance. Innovations are Gaussian N(0, sigma2) or, with bootstrap, resampled
 * residuals. Regression terms and the Box-Cox inverse are applied to each drawn value.
 */
public final class ArimaSampler {

    private final ArimaFit fit;
    private final ArimaStateSpace ss;
    private final double[] endState;
    private final double[] choleskyFactor;
    private final double[] residuals;

    public ArimaSampler(ArimaFit fit) {
        if (fit.spec().xreg().length > 0) {
            throw new IllegalArgumentException("sample paths with regressors need their future values; not supported yet");
        }
        this.fit = fit;
        this.ss = ArimaForecaster.filtered(fit);
        this.endState = ss.state();
        this.choleskyFactor = cholesky(ss.covariance(), ss.dimension());
        this.residuals = java.util.Arrays.stream(fit.residuals()).filter(v -> !Double.isNaN(v)).toArray();
    }

    /** paths[i][s]: path i at step s+1, on the original scale. */
    public double[][] paths(int count, int h, boolean bootstrap, Random random) {
        double[][] out = new double[count][h];
        int n = ss.dimension();
        double sd = Math.sqrt(fit.sigma2());
        double[] state = new double[n];
        double[] z = new double[n];
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < n; k++) {
                z[k] = random.nextGaussian() * sd;
            }
            for (int r = 0; r < n; r++) {
                double s = endState[r];
                for (int c = 0; c <= r; c++) {
                    s += choleskyFactor[r * n + c] * z[c];
                }
                state[r] = s;
            }
            ss.setState(state);
            for (int s = 0; s < h; s++) {
                double e = bootstrap ? residuals[random.nextInt(residuals.length)] : random.nextGaussian() * sd;
                out[i][s] = toOriginalScale(ss.step(e), s);
            }
        }
        ss.setState(endState);
        return out;
    }

    private double toOriginalScale(double v, int s) {
        ArimaSpec spec = fit.spec();
        int c = spec.order().armaCount();
        double[] coef = fit.coefficients();
        if (spec.hasIntercept()) {
            v += coef[c++];
        }
        if (spec.hasDrift()) {
            v += coef[c] * (fit.series().length + s + 1);
        }
        return Double.isNaN(spec.lambda()) ? v : BoxCox.inverse(v, spec.lambda());
    }

    /** Lower-triangular L with L L' = P; directions with no variance (P singular) get zeros. */
    static double[] cholesky(double[] p, int n) {
        double[] l = new double[n * n];
        double scale = 0;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, Math.abs(p[i * n + i]));
        }
        double tol = 1e-12 * Math.max(scale, 1e-300);
        for (int j = 0; j < n; j++) {
            double d = p[j * n + j];
            for (int k = 0; k < j; k++) {
                d -= l[j * n + k] * l[j * n + k];
            }
            if (d <= tol) {
                continue;
            }
            double ljj = Math.sqrt(d);
            l[j * n + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                double s = p[i * n + j];
                for (int k = 0; k < j; k++) {
                    s -= l[i * n + k] * l[j * n + k];
                }
                l[i * n + j] = s / ljj;
            }
        }
        return l;
    }
}
