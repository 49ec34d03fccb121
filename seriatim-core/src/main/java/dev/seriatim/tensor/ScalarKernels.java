package dev.seriatim.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Plain-Java float kernels; the reference for {@link VectorKernels} and the fallback when the
 * Vector API is missing. See {@link Kernels} for what each computes. Multiply-adds are written
 * unfused: {@code Math.fma} falls back to BigDecimal on hardware without FMA, which this fallback must also serve.
 */
final class ScalarKernels {

    private ScalarKernels() {}

    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += a * x[xOff + i];
        }
    }

    static void rmsNorm(float[] out, int outOff, float[] x, int xOff, float[] weight, int n, float eps) {
        float sumSquares = 0f;
        for (int i = 0; i < n; i++) {
            sumSquares += x[xOff + i] * x[xOff + i];
        }
        float inverseRms = (float) (1.0 / Math.sqrt(sumSquares / n + eps));
        for (int i = 0; i < n; i++) {
            out[outOff + i] = x[xOff + i] * inverseRms * weight[i];
        }
    }

    static void layerNorm(float[] out, int outOff, float[] x, int xOff, float[] weight, float[] bias, int n,
            float eps) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += x[xOff + i];
        }
        float mean = sum / n;
        float sumSquares = 0f;
        for (int i = 0; i < n; i++) {
            float centred = x[xOff + i] - mean;
            sumSquares += centred * centred;
        }
        float inverseStd = (float) (1.0 / Math.sqrt(sumSquares / n + eps));
        for (int i = 0; i < n; i++) {
            float normalised = (x[xOff + i] - mean) * inverseStd * weight[i];
            out[outOff + i] = bias == null ? normalised : normalised + bias[i];
        }
    }

    static void softmax(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        softmaxGivenMax(x, off, n, max);
    }

    /** Exponentials and normalisation once the maximum is known (shared with VectorKernels). */
    static void softmaxGivenMax(float[] x, int off, int n, float max) {
        if (max == Float.NEGATIVE_INFINITY) {
            // Every entry masked: no finite entry to prefer, so spread evenly rather than 0/0.
            java.util.Arrays.fill(x, off, off + n, 1f / n);
            return;
        }
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        float inverse = 1f / sum;
        for (int i = 0; i < n; i++) {
            x[off + i] *= inverse;
        }
    }

    static void ropeInterleaved(float[] x, int off, int nHeads, int headDim, float[] cos, float[] sin) {
        for (int h = 0; h < nHeads; h++) {
            int base = off + h * headDim;
            for (int i = 0; i < cos.length; i++) {
                int even = base + 2 * i;
                float x0 = x[even];
                float x1 = x[even + 1];
                x[even] = x0 * cos[i] - x1 * sin[i];
                x[even + 1] = x0 * sin[i] + x1 * cos[i];
            }
        }
    }

    static void ropeSplitHalf(float[] x, int off, int nHeads, int headDim, float[] cos, float[] sin) {
        int half = cos.length;
        for (int h = 0; h < nHeads; h++) {
            int base = off + h * headDim;
            for (int i = 0; i < half; i++) {
                float x0 = x[base + i];
                float x1 = x[base + i + half];
                x[base + i] = x0 * cos[i] - x1 * sin[i];
                x[base + i + half] = x0 * sin[i] + x1 * cos[i];
            }
        }
    }

    static void silu(float[] x, int off, int n) {
        for (int i = 0; i < n; i++) {
            x[off + i] = silu(x[off + i]);
        }
    }

    static void swiglu(float[] gate, float[] up, int off, int n) {
        for (int i = off; i < off + n; i++) {
            gate[i] = silu(gate[i]) * up[i];
        }
    }

    static void gelu(float[] x, int off, int n) {
        for (int i = 0; i < n; i++) {
            x[off + i] = gelu(x[off + i]);
        }
    }

    static void add(float[] a, int aOff, float[] b, int bOff, int n) {
        for (int i = 0; i < n; i++) {
            a[aOff + i] += b[bOff + i];
        }
    }

    static void mul(float[] a, int aOff, float[] b, int bOff, int n) {
        for (int i = 0; i < n; i++) {
            a[aOff + i] *= b[bOff + i];
        }
    }

    static void widenHalves(short[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = Float.float16ToFloat(src[srcOff + i]);
        }
    }

    static void scale(float[] x, int off, int n, float s) {
        for (int i = 0; i < n; i++) {
            x[off + i] *= s;
        }
    }

    /** x * sigmoid(x), written as x / (1 + e^-x). */
    static float silu(float v) {
        return (float) (v / (1.0 + Math.exp(-v)));
    }

    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    /** GPT-2's tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    static float gelu(float v) {
        double x = v;
        return (float) (0.5 * x * (1.0 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))));
    }

    static long streamRead(MemorySegment segment, long from, long to) {
        long sum = 0;
        for (long at = from; at < to; at += 8) {
            sum ^= segment.get(ValueLayout.JAVA_LONG_UNALIGNED, at);
        }
        return sum;
    }
}
