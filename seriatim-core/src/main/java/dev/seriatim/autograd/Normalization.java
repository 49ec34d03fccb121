package dev.seriatim.autograd;

import dev.seriatim.tensor.Kernels;

/** RMSNorm and LayerNorm over the last dimension, with the inference engine's forward kernels. */
public final class Normalization {

    private Normalization() {}

    /** y = x / sqrt(mean(x^2) + eps) * w, per row of width w.length. */
    public static Tensor rmsNorm(Tape tape, Tensor x, Tensor w, float eps) {
        int n = checkWidth(x, w);
        int rows = x.rows();
        float[] y = new float[x.size()];
        float[] inverseRms = new float[rows];
        tape.parallel().forRange(rows, (start, end) -> {
            for (int r = start; r < end; r++) {
                Kernels.rmsNorm(y, r * n, x.data(), r * n, w.data(), n, eps);
                float sumSquares = Kernels.dot(x.data(), r * n, x.data(), r * n, n);
                inverseRms[r] = (float) (1.0 / Math.sqrt(sumSquares / n + eps));
            }
        });
        Tensor result = Tensor.result(y, tape.needsGrad(x, w), x.shape());
        if (result.requiresGrad()) {
            tape.record(() -> {
                float[] dy = result.grad();
                float[] xs = x.data();
                float[] ws = w.data();
                if (x.requiresGrad()) { // rows are independent: in parallel
                    tape.parallel().forRange(rows, (start, end) -> {
                        for (int r = start; r < end; r++) {
                            int o = r * n;
                            float inv = inverseRms[r];
                            double dot = 0; // sum of dy * w * x: the gradient through the shared rms
                            for (int i = 0; i < n; i++) {
                                dot += (double) dy[o + i] * ws[i] * xs[o + i];
                            }
                            float k = (float) (dot * inv * inv * inv / n);
                            for (int i = 0; i < n; i++) {
                                x.grad()[o + i] += inv * ws[i] * dy[o + i] - k * xs[o + i];
                            }
                        }
                    });
                }
                if (w.requiresGrad()) { // a sum over rows: one thread, in row order, so it repeats exactly
                    for (int r = 0; r < rows; r++) {
                        int o = r * n;
                        float inv = inverseRms[r];
                        for (int i = 0; i < n; i++) {
                            w.grad()[i] += dy[o + i] * xs[o + i] * inv;
                        }
                    }
                }
            });
        }
        return result;
    }

    /** y = (x - mean) / sqrt(var + eps) * w + b per row (population variance); b may be null. */
    public static Tensor layerNorm(Tape tape, Tensor x, Tensor w, Tensor b, float eps) {
        int n = checkWidth(x, w);
        int rows = x.rows();
        float[] y = new float[x.size()];
        float[] mean = new float[rows];
        float[] inverseStd = new float[rows];
        float[] xs = x.data();
        for (int r = 0; r < rows; r++) {
            Kernels.layerNorm(y, r * n, xs, r * n, w.data(), b == null ? null : b.data(), n, eps);
            double m = 0;
            for (int i = 0; i < n; i++) {
                m += xs[r * n + i];
            }
            m /= n;
            double v = 0;
            for (int i = 0; i < n; i++) {
                double c = xs[r * n + i] - m;
                v += c * c;
            }
            mean[r] = (float) m;
            inverseStd[r] = (float) (1.0 / Math.sqrt(v / n + eps));
        }
        Tensor result = b == null ? Tensor.result(y, tape.needsGrad(x, w), x.shape())
                : Tensor.result(y, tape.needsGrad(x, w, b), x.shape());
        if (result.requiresGrad()) {
            tape.record(() -> {
                float[] dy = result.grad();
                float[] ws = w.data();
                for (int r = 0; r < rows; r++) {
                    int o = r * n;
                    double sumD = 0;
                    double sumDx = 0;
                    for (int i = 0; i < n; i++) {
                        double xhat = (xs[o + i] - mean[r]) * inverseStd[r];
                        double d = (double) dy[o + i] * ws[i];
                        sumD += d;
                        sumDx += d * xhat;
                    }
                    for (int i = 0; i < n; i++) {
                        float xhat = (xs[o + i] - mean[r]) * inverseStd[r];
                        if (x.requiresGrad()) {
                            double d = (double) dy[o + i] * ws[i];
                            x.grad()[o + i] += (float) (inverseStd[r] * (d - sumD / n - xhat * sumDx / n));
                        }
                        if (w.requiresGrad()) {
                            w.grad()[i] += dy[o + i] * xhat;
                        }
                        if (b != null && b.requiresGrad()) {
                            b.grad()[i] += dy[o + i];
                        }
                    }
                }
            });
        }
        return result;
    }

    private static int checkWidth(Tensor x, Tensor w) {
        if (w.rank() != 1 || w.dim(0) != x.dim(-1)) {
            throw new IllegalArgumentException("norm weight " + w + " does not fit input " + x);
        }
        return w.dim(0);
    }
}
