package dev.seriatim.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of the {@link Kernels}; load only when {@link VectorSupport#available()}.
 *
 * <p>Reductions accumulate per lane and then add lanes in lane order ({@link VectorLanes#sum}),
 * so results are the same on every run. Kernels dominated by transcendental functions (silu,
 * gelu, the exponentials of softmax) and the strided interleaved RoPE call the scalar code:
 * they touch activations only, a vanishing share of the time next to the weight matvecs, and
 * the Vector API's EXP/TANH may differ from {@code Math} between interpreter and JIT.
 */
final class VectorKernels {

    private static final VectorSpecies<Float> F = VectorLanes.FLOAT;
    private static final int LANES = F.length();

    private VectorKernels() {}

    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
        }
        float sum = VectorLanes.sum(acc);
        for (; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector av = FloatVector.broadcast(F, a);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector.fromArray(F, x, xOff + i).fma(av, FloatVector.fromArray(F, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += a * x[xOff + i];
        }
    }

    static void rmsNorm(float[] out, int outOff, float[] x, int xOff, float[] weight, int n, float eps) {
        float sumSquares = dot(x, xOff, x, xOff, n);
        float inverseRms = (float) (1.0 / Math.sqrt(sumSquares / n + eps));
        scaledProduct(out, outOff, x, xOff, weight, n, inverseRms, 0f);
    }

    static void layerNorm(float[] out, int outOff, float[] x, int xOff, float[] weight, float[] bias, int n,
            float eps) {
        float mean = sum(x, xOff, n) / n;
        FloatVector meanV = FloatVector.broadcast(F, mean);
        FloatVector acc = FloatVector.zero(F);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector centred = FloatVector.fromArray(F, x, xOff + i).sub(meanV);
            acc = centred.fma(centred, acc);
        }
        float sumSquares = VectorLanes.sum(acc);
        for (; i < n; i++) {
            float centred = x[xOff + i] - mean;
            sumSquares += centred * centred;
        }
        float inverseStd = (float) (1.0 / Math.sqrt(sumSquares / n + eps));
        if (bias == null) {
            scaledProduct(out, outOff, x, xOff, weight, n, inverseStd, mean);
            return;
        }
        FloatVector scaleV = FloatVector.broadcast(F, inverseStd);
        i = 0;
        for (; i < bound; i += LANES) {
            FloatVector.fromArray(F, x, xOff + i).sub(meanV).mul(scaleV)
                    .mul(FloatVector.fromArray(F, weight, i))
                    .add(FloatVector.fromArray(F, bias, i))
                    .intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = (x[xOff + i] - mean) * inverseStd * weight[i] + bias[i];
        }
    }

    static void softmax(float[] x, int off, int n) {
        FloatVector maxV = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            maxV = maxV.max(FloatVector.fromArray(F, x, off + i));
        }
        float max = VectorLanes.max(maxV);
        for (; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        ScalarKernels.softmaxGivenMax(x, off, n, max);
    }

    static void ropeInterleaved(float[] x, int off, int nHeads, int headDim, float[] cos, float[] sin) {
        ScalarKernels.ropeInterleaved(x, off, nHeads, headDim, cos, sin);
    }

    static void ropeSplitHalf(float[] x, int off, int nHeads, int headDim, float[] cos, float[] sin) {
        int half = cos.length;
        int bound = F.loopBound(half);
        for (int h = 0; h < nHeads; h++) {
            int first = off + h * headDim;
            int second = first + half;
            int i = 0;
            for (; i < bound; i += LANES) {
                FloatVector x0 = FloatVector.fromArray(F, x, first + i);
                FloatVector x1 = FloatVector.fromArray(F, x, second + i);
                FloatVector c = FloatVector.fromArray(F, cos, i);
                FloatVector s = FloatVector.fromArray(F, sin, i);
                x0.mul(c).sub(x1.mul(s)).intoArray(x, first + i);
                x0.mul(s).add(x1.mul(c)).intoArray(x, second + i);
            }
            for (; i < half; i++) {
                float x0 = x[first + i];
                float x1 = x[second + i];
                x[first + i] = x0 * cos[i] - x1 * sin[i];
                x[second + i] = x0 * sin[i] + x1 * cos[i];
            }
        }
    }

    static void silu(float[] x, int off, int n) {
        ScalarKernels.silu(x, off, n);
    }

    static void swiglu(float[] gate, float[] up, int n) {
        ScalarKernels.swiglu(gate, up, n);
    }

    static void gelu(float[] x, int off, int n) {
        ScalarKernels.gelu(x, off, n);
    }

    static void add(float[] a, int aOff, float[] b, int bOff, int n) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector.fromArray(F, a, aOff + i).add(FloatVector.fromArray(F, b, bOff + i)).intoArray(a, aOff + i);
        }
        for (; i < n; i++) {
            a[aOff + i] += b[bOff + i];
        }
    }

    static void mul(float[] a, int aOff, float[] b, int bOff, int n) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector.fromArray(F, a, aOff + i).mul(FloatVector.fromArray(F, b, bOff + i)).intoArray(a, aOff + i);
        }
        for (; i < n; i++) {
            a[aOff + i] *= b[bOff + i];
        }
    }

    static void scale(float[] x, int off, int n, float s) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector.fromArray(F, x, off + i).mul(s).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] *= s;
        }
    }

    private static float sum(float[] x, int off, int n) {
        FloatVector acc = FloatVector.zero(F);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            acc = acc.add(FloatVector.fromArray(F, x, off + i));
        }
        float sum = VectorLanes.sum(acc);
        for (; i < n; i++) {
            sum += x[off + i];
        }
        return sum;
    }

    /** out = (x - shift) * factor * weight, elementwise. */
    private static void scaledProduct(float[] out, int outOff, float[] x, int xOff, float[] weight, int n,
            float factor, float shift) {
        FloatVector factorV = FloatVector.broadcast(F, factor);
        FloatVector shiftV = FloatVector.broadcast(F, shift);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector.fromArray(F, x, xOff + i).sub(shiftV).mul(factorV)
                    .mul(FloatVector.fromArray(F, weight, i))
                    .intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = (x[xOff + i] - shift) * factor * weight[i];
        }
    }
}
