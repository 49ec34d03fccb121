package dev.seriatim.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of the {@link Kernels}; load only when {@link VectorSupport#available()}.
 *
 * <p>Reductions accumulate per lane and then add lanes in a fixed order ({@link VectorLanes#sum}),
 * so results are the same on every run. Softmax uses {@link VectorExp}, built from plain
 * lanewise arithmetic: attention evaluates it quadratically often in the prompt length. silu,
 * gelu and the strided interleaved RoPE call the scalar code: they touch activations only, a
 * vanishing share of the time next to the weight matvecs, and the Vector API's EXP/TANH may
 * differ from {@code Math} between interpreter and JIT.
 */
final class VectorKernels {

    private static final VectorSpecies<Float> F = VectorLanes.FLOAT;
    private static final int LANES = F.length();
    /** {@link #streamRead}'s loads: 256 bits, or the preferred width where that is less. */
    private static final VectorSpecies<Long> LONGS =
            LongVector.SPECIES_PREFERRED.vectorBitSize() >= 256 ? LongVector.SPECIES_256 : LongVector.SPECIES_PREFERRED;
    private static final int LONG_BYTES = LONGS.vectorByteSize();
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, F.vectorShape());
    private static final VectorSpecies<Short> HALVES =
            VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));

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
        if (max == Float.NEGATIVE_INFINITY) {
            ScalarKernels.softmaxGivenMax(x, off, n, max); // all masked: uniform
            return;
        }
        FloatVector sum = FloatVector.zero(F);
        for (i = 0; i < n; i += LANES) {
            // the last, partial vector goes through a mask, so every entry gets the same exp
            VectorMask<Float> inRange = F.indexInRange(i, n);
            FloatVector e = VectorExp.exp(FloatVector.fromArray(F, x, off + i, inRange).sub(max));
            e.intoArray(x, off + i, inRange);
            sum = sum.add(FloatVector.zero(F).blend(e, inRange));
        }
        float inverse = 1f / VectorLanes.sum(sum);
        for (i = 0; i < n; i += LANES) {
            VectorMask<Float> inRange = F.indexInRange(i, n);
            FloatVector.fromArray(F, x, off + i, inRange).mul(inverse).intoArray(x, off + i, inRange);
        }
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

    static void swiglu(float[] gate, float[] up, int off, int n) {
        int end = off + n;
        int bound = off + F.loopBound(n);
        int i = off;
        for (; i < bound; i += LANES) {
            FloatVector g = FloatVector.fromArray(F, gate, i);
            g.mul(sigmoid(g)).mul(FloatVector.fromArray(F, up, i)).intoArray(gate, i);
        }
        if (i < end) {
            // the tail through masked lanes, not the scalar twin: every element then gets the
            // same arithmetic wherever a range starts, so splitting over threads changes nothing
            VectorMask<Float> tail = F.indexInRange(i, end);
            FloatVector g = FloatVector.fromArray(F, gate, i, tail);
            g.mul(sigmoid(g)).mul(FloatVector.fromArray(F, up, i, tail)).intoArray(gate, i, tail);
        }
    }

    /**
     * 1 / (1 + e^-v) from t = e^-|v|, an argument {@link VectorExp} takes without overflow:
     * 1 / (1 + t) for v >= 0 and t / (1 + t) below.
     */
    private static FloatVector sigmoid(FloatVector v) {
        FloatVector t = VectorExp.exp(v.abs().neg());
        return t.blend(1f, v.compare(VectorOperators.GE, 0f)).div(t.add(1f));
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

    /**
     * Loads of at most 256 bits, as the weight kernels make (a vector of halves, bytes or nibbles
     * is at most half a float vector): on the AVX-512 host here (which splits 512-bit loads), the
     * same loop with 512-bit loads measured 27-34 GB/s where 256-bit loads measured 33-55 in the
     * same seconds (two threads, alternating), and generation reads more than the lower figure.
     */
    static long streamRead(MemorySegment segment, long from, long to) {
        VectorSpecies<Long> species = LONGS;
        int width = LONG_BYTES;
        LongVector a = LongVector.zero(species);
        LongVector b = a;
        LongVector c = a;
        LongVector d = a;
        long at = from;
        for (; at + 4L * width <= to; at += 4L * width) {
            // four independent accumulators keep several loads in flight
            a = a.lanewise(VectorOperators.XOR, LongVector.fromMemorySegment(species, segment, at, ByteOrder.LITTLE_ENDIAN));
            b = b.lanewise(VectorOperators.XOR, LongVector.fromMemorySegment(species, segment, at + width, ByteOrder.LITTLE_ENDIAN));
            c = c.lanewise(VectorOperators.XOR, LongVector.fromMemorySegment(species, segment, at + 2L * width,
                    ByteOrder.LITTLE_ENDIAN));
            d = d.lanewise(VectorOperators.XOR, LongVector.fromMemorySegment(species, segment, at + 3L * width,
                    ByteOrder.LITTLE_ENDIAN));
        }
        long folded = a.lanewise(VectorOperators.XOR, b).lanewise(VectorOperators.XOR, c.lanewise(VectorOperators.XOR, d))
                .reduceLanes(VectorOperators.XOR);
        return folded ^ ScalarKernels.streamRead(segment, at, to);
    }

    /**
     * See {@link Kernels#widenHalves}: each vector widened in registers ({@link HalfBits}) and
     * scaled back by 2^112, exactly; a vector holding an infinity or NaN goes through the scalar
     * twin. For the runs of a KV cache of halves, where C2's own conversion loop pays its setup
     * on every 64-value row.
     */
    static void widenHalves(short[] src, int srcOff, float[] dst, int dstOff, int n) {
        int i = 0;
        for (; i + LANES <= n; i += LANES) {
            IntVector bits = (IntVector) ShortVector.fromArray(HALVES, src, srcOff + i)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            if (bits.and(HalfBits.EXPONENT).compare(VectorOperators.EQ, HalfBits.EXPONENT).anyTrue()) {
                ScalarKernels.widenHalves(src, srcOff + i, dst, dstOff + i, LANES);
                continue;
            }
            HalfBits.scaledDown(bits).mul(0x1p112f).intoArray(dst, dstOff + i);
        }
        ScalarKernels.widenHalves(src, srcOff + i, dst, dstOff + i, n - i);
    }
}
