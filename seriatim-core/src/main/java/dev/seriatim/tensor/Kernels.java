package dev.seriatim.tensor;

import java.lang.foreign.MemorySegment;

/**
 * The float kernels of inference on plain arrays. The implementation ({@code VectorKernels}
 * with the Vector API, or the plain-Java {@code ScalarKernels}) is chosen once, when this class
 * is initialised; the choice is a constant the JIT folds away, and the vector class is never
 * loaded when the module is absent. All reductions use a fixed order, so results repeat exactly.
 */
public final class Kernels {

    private static final boolean VECTOR = VectorSupport.available();

    private Kernels() {}

    /** True when the Vector API implementation is in use. */
    public static boolean usesVectorApi() {
        return VECTOR;
    }

    /** Sum over i < n of a[aOff + i] * b[bOff + i]. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return VECTOR ? VectorKernels.dot(a, aOff, b, bOff, n) : ScalarKernels.dot(a, aOff, b, bOff, n);
    }

    /**
     * Reads every byte of {@code segment} in [from, to) (from and to multiples of 8) and folds
     * them into a checksum, so the reads cannot be elided: the streaming kernel of
     * {@link MemoryBandwidth}.
     */
    public static long streamRead(MemorySegment segment, long from, long to) {
        return VECTOR ? VectorKernels.streamRead(segment, from, to) : ScalarKernels.streamRead(segment, from, to);
    }

    /** y[yOff + i] += a * x[xOff + i] for i < n. */
    public static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        if (VECTOR) {
            VectorKernels.axpy(a, x, xOff, y, yOff, n);
        } else {
            ScalarKernels.axpy(a, x, xOff, y, yOff, n);
        }
    }

    /**
     * RMSNorm: out[outOff + i] = x[xOff + i] / sqrt(mean(x^2) + eps) * weight[i]. out may be x
     * at the same offset.
     */
    public static void rmsNorm(float[] out, int outOff, float[] x, int xOff, float[] weight, int n, float eps) {
        if (VECTOR) {
            VectorKernels.rmsNorm(out, outOff, x, xOff, weight, n, eps);
        } else {
            ScalarKernels.rmsNorm(out, outOff, x, xOff, weight, n, eps);
        }
    }

    /**
     * LayerNorm: out[outOff + i] = (x[xOff + i] - mean) / sqrt(variance + eps) * weight[i] +
     * bias[i], with the population variance; {@code bias} may be null (no bias). out may be x at
     * the same offset.
     */
    public static void layerNorm(float[] out, int outOff, float[] x, int xOff, float[] weight, float[] bias, int n,
            float eps) {
        if (VECTOR) {
            VectorKernels.layerNorm(out, outOff, x, xOff, weight, bias, n, eps);
        } else {
            ScalarKernels.layerNorm(out, outOff, x, xOff, weight, bias, n, eps);
        }
    }

    /**
     * In-place softmax of x[off .. off + n): exp(x - max) / sum. Entries of -infinity (masked)
     * become 0; if every entry is -infinity the result is uniform 1/n rather than NaN.
     */
    public static void softmax(float[] x, int off, int n) {
        if (VECTOR) {
            VectorKernels.softmax(x, off, n);
        } else {
            ScalarKernels.softmax(x, off, n);
        }
    }

    /**
     * Rotary embedding, interleaved pairs (ggml ROPE "normal" mode, llama GGUF): for each of
     * {@code nHeads} heads of {@code headDim} values starting at {@code off}, and each
     * i < cos.length, rotates the pair (2i, 2i+1) by the angle whose cosine/sine are
     * cos[i]/sin[i]: (a, b) -> (a cos - b sin, a sin + b cos). Dimensions from 2*cos.length on
     * are left as they are (partial rotary).
     */
    public static void ropeInterleaved(float[] x, int off, int nHeads, int headDim, float[] cos, float[] sin) {
        if (VECTOR) {
            VectorKernels.ropeInterleaved(x, off, nHeads, headDim, cos, sin);
        } else {
            ScalarKernels.ropeInterleaved(x, off, nHeads, headDim, cos, sin);
        }
    }

    /**
     * Rotary embedding, split halves (GPT-NeoX / Hugging Face convention, qwen2): as
     * {@link #ropeInterleaved} but the pairs are (i, i + rot/2) with rot = 2*cos.length.
     */
    public static void ropeSplitHalf(float[] x, int off, int nHeads, int headDim, float[] cos, float[] sin) {
        if (VECTOR) {
            VectorKernels.ropeSplitHalf(x, off, nHeads, headDim, cos, sin);
        } else {
            ScalarKernels.ropeSplitHalf(x, off, nHeads, headDim, cos, sin);
        }
    }

    /** In place: x = x * sigmoid(x). */
    public static void silu(float[] x, int off, int n) {
        if (VECTOR) {
            VectorKernels.silu(x, off, n);
        } else {
            ScalarKernels.silu(x, off, n);
        }
    }

    /** SwiGLU gating in place: gate[i] = silu(gate[i]) * up[i] for i < n. */
    public static void swiglu(float[] gate, float[] up, int n) {
        swiglu(gate, up, 0, n);
    }

    /**
     * SwiGLU gating in place over [off, off + n): gate[i] = silu(gate[i]) * up[i]. The vector
     * form takes the sigmoid from {@code VectorExp} (about 1e-7 relative from the twin's double
     * exponential); each element depends on nothing else, so any split into ranges gives the
     * same values.
     */
    public static void swiglu(float[] gate, float[] up, int off, int n) {
        if (VECTOR) {
            VectorKernels.swiglu(gate, up, off, n);
        } else {
            ScalarKernels.swiglu(gate, up, off, n);
        }
    }

    /** In place GELU, tanh approximation (GPT-2, ggml): 0.5x(1 + tanh(sqrt(2/pi)(x + 0.044715x^3))). */
    public static void gelu(float[] x, int off, int n) {
        if (VECTOR) {
            VectorKernels.gelu(x, off, n);
        } else {
            ScalarKernels.gelu(x, off, n);
        }
    }

    /** a[aOff + i] += b[bOff + i] for i < n. */
    public static void add(float[] a, int aOff, float[] b, int bOff, int n) {
        if (VECTOR) {
            VectorKernels.add(a, aOff, b, bOff, n);
        } else {
            ScalarKernels.add(a, aOff, b, bOff, n);
        }
    }

    /** a[aOff + i] *= b[bOff + i] for i < n. */
    public static void mul(float[] a, int aOff, float[] b, int bOff, int n) {
        if (VECTOR) {
            VectorKernels.mul(a, aOff, b, bOff, n);
        } else {
            ScalarKernels.mul(a, aOff, b, bOff, n);
        }
    }

    /** x[off + i] *= s for i < n. */
    public static void scale(float[] x, int off, int n, float s) {
        if (VECTOR) {
            VectorKernels.scale(x, off, n, s);
        } else {
            ScalarKernels.scale(x, off, n, s);
        }
    }

    /** dst[dstOff + i] = the half src[srcOff + i] as a float, exactly ({@link Float#float16ToFloat}), for i < n. */
    public static void widenHalves(short[] src, int srcOff, float[] dst, int dstOff, int n) {
        if (VECTOR) {
            VectorKernels.widenHalves(src, srcOff, dst, dstOff, n);
        } else {
            ScalarKernels.widenHalves(src, srcOff, dst, dstOff, n);
        }
    }
}
