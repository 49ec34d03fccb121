package dev.seriatim.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
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

    static void dot4x4(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, int n,
                       float[] out, int outOff, int outStride, float[] scratch) {
        int a0 = aOff, a1 = aOff + aStride, a2 = aOff + 2 * aStride, a3 = aOff + 3 * aStride;
        int b0 = bOff, b1 = bOff + bStride, b2 = bOff + 2 * bStride, b3 = bOff + 3 * bStride;
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        int bound = F.loopBound(n);
        for (int k = 0; k < bound; k += LANES) {
            FloatVector x0 = FloatVector.fromArray(F, a, a0 + k);
            FloatVector x1 = FloatVector.fromArray(F, a, a1 + k);
            FloatVector x2 = FloatVector.fromArray(F, a, a2 + k);
            FloatVector x3 = FloatVector.fromArray(F, a, a3 + k);
            FloatVector y = FloatVector.fromArray(F, b, b0 + k);
            c00 = x0.fma(y, c00);
            c10 = x1.fma(y, c10);
            c20 = x2.fma(y, c20);
            c30 = x3.fma(y, c30);
            y = FloatVector.fromArray(F, b, b1 + k);
            c01 = x0.fma(y, c01);
            c11 = x1.fma(y, c11);
            c21 = x2.fma(y, c21);
            c31 = x3.fma(y, c31);
            y = FloatVector.fromArray(F, b, b2 + k);
            c02 = x0.fma(y, c02);
            c12 = x1.fma(y, c12);
            c22 = x2.fma(y, c22);
            c32 = x3.fma(y, c32);
            y = FloatVector.fromArray(F, b, b3 + k);
            c03 = x0.fma(y, c03);
            c13 = x1.fma(y, c13);
            c23 = x2.fma(y, c23);
            c33 = x3.fma(y, c33);
        }
        // Stored, then summed in lane order like VectorLanes.sum: reading 16 vectors lane by lane
        // in one method exceeds the JIT's inlining budget and would box every accumulator.
        c00.intoArray(scratch, 0 * LANES);
        c10.intoArray(scratch, 1 * LANES);
        c20.intoArray(scratch, 2 * LANES);
        c30.intoArray(scratch, 3 * LANES);
        c01.intoArray(scratch, 4 * LANES);
        c11.intoArray(scratch, 5 * LANES);
        c21.intoArray(scratch, 6 * LANES);
        c31.intoArray(scratch, 7 * LANES);
        c02.intoArray(scratch, 8 * LANES);
        c12.intoArray(scratch, 9 * LANES);
        c22.intoArray(scratch, 10 * LANES);
        c32.intoArray(scratch, 11 * LANES);
        c03.intoArray(scratch, 12 * LANES);
        c13.intoArray(scratch, 13 * LANES);
        c23.intoArray(scratch, 14 * LANES);
        c33.intoArray(scratch, 15 * LANES);
        out[outOff] = withTail(laneSum(scratch, 0 * LANES), a, a0, b, b0, bound, n);
        out[outOff + 1] = withTail(laneSum(scratch, 1 * LANES), a, a1, b, b0, bound, n);
        out[outOff + 2] = withTail(laneSum(scratch, 2 * LANES), a, a2, b, b0, bound, n);
        out[outOff + 3] = withTail(laneSum(scratch, 3 * LANES), a, a3, b, b0, bound, n);
        out[outOff + outStride] = withTail(laneSum(scratch, 4 * LANES), a, a0, b, b1, bound, n);
        out[outOff + outStride + 1] = withTail(laneSum(scratch, 5 * LANES), a, a1, b, b1, bound, n);
        out[outOff + outStride + 2] = withTail(laneSum(scratch, 6 * LANES), a, a2, b, b1, bound, n);
        out[outOff + outStride + 3] = withTail(laneSum(scratch, 7 * LANES), a, a3, b, b1, bound, n);
        out[outOff + 2 * outStride] = withTail(laneSum(scratch, 8 * LANES), a, a0, b, b2, bound, n);
        out[outOff + 2 * outStride + 1] = withTail(laneSum(scratch, 9 * LANES), a, a1, b, b2, bound, n);
        out[outOff + 2 * outStride + 2] = withTail(laneSum(scratch, 10 * LANES), a, a2, b, b2, bound, n);
        out[outOff + 2 * outStride + 3] = withTail(laneSum(scratch, 11 * LANES), a, a3, b, b2, bound, n);
        out[outOff + 3 * outStride] = withTail(laneSum(scratch, 12 * LANES), a, a0, b, b3, bound, n);
        out[outOff + 3 * outStride + 1] = withTail(laneSum(scratch, 13 * LANES), a, a1, b, b3, bound, n);
        out[outOff + 3 * outStride + 2] = withTail(laneSum(scratch, 14 * LANES), a, a2, b, b3, bound, n);
        out[outOff + 3 * outStride + 3] = withTail(laneSum(scratch, 15 * LANES), a, a3, b, b3, bound, n);
    }

    /** Sum of LANES stored lanes from lane 0 upwards: the order of VectorLanes.sum. */
    /** The lanes stored from one vector, summed in exactly {@link VectorLanes#sum}'s order. */
    private static float laneSum(float[] lanes, int from) {
        int at = from;
        if (LANES == 16) {
            // upper half onto lower half, twice, as VectorLanes.sum does with vector adds
            float q0 = (lanes[at] + lanes[at + 8]) + (lanes[at + 4] + lanes[at + 12]);
            float q1 = (lanes[at + 1] + lanes[at + 9]) + (lanes[at + 5] + lanes[at + 13]);
            float q2 = (lanes[at + 2] + lanes[at + 10]) + (lanes[at + 6] + lanes[at + 14]);
            float q3 = (lanes[at + 3] + lanes[at + 11]) + (lanes[at + 7] + lanes[at + 15]);
            return 0f + q0 + q1 + q2 + q3;
        }
        if (LANES == 8) {
            return 0f + (lanes[at] + lanes[at + 4]) + (lanes[at + 1] + lanes[at + 5]) + (lanes[at + 2] + lanes[at + 6])
                    + (lanes[at + 3] + lanes[at + 7]);
        }
        float s = 0f;
        for (int i = 0; i < LANES; i++) {
            s += lanes[at + i];
        }
        return s;
    }

    /** Adds the scalar tail in dot()'s order, so each tile value equals dot() bit for bit. */
    private static float withTail(float laneSum, float[] a, int ai, float[] b, int bj, int bound, int n) {
        float sum = laneSum;
        for (int k = bound; k < n; k++) {
            sum += a[ai + k] * b[bj + k];
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

    static long streamRead(MemorySegment segment, long from, long to) {
        VectorSpecies<Long> species = LongVector.SPECIES_PREFERRED;
        int width = species.vectorByteSize();
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

    /** Whether {@link #attendHead} applies: head vectors made of whole float vectors. */
    static boolean attendsWholeVectors(int headDim) {
        return headDim % LANES == 0;
    }

    /** Kernels.attendHead for {@code attendsWholeVectors(headDim)}. */
    static void attendHead(float[] q, int qOff, float[] keys, float[] values, int kvOff, int kvStride, int visible,
            int headDim, float scale, float[] att, int attOff, float[] out, int outOff) {
        int j = 0;
        for (; j + 4 <= visible; j += 4) {
            // four keys per pass over q; each accumulator sums its chunks in dot()'s order
            int k0 = j * kvStride + kvOff;
            FloatVector s0 = FloatVector.zero(F);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (int c = 0; c < headDim; c += LANES) {
                FloatVector qv = FloatVector.fromArray(F, q, qOff + c);
                s0 = qv.fma(FloatVector.fromArray(F, keys, k0 + c), s0);
                s1 = qv.fma(FloatVector.fromArray(F, keys, k0 + kvStride + c), s1);
                s2 = qv.fma(FloatVector.fromArray(F, keys, k0 + 2 * kvStride + c), s2);
                s3 = qv.fma(FloatVector.fromArray(F, keys, k0 + 3 * kvStride + c), s3);
            }
            att[attOff + j] = VectorLanes.sum(s0) * scale;
            att[attOff + j + 1] = VectorLanes.sum(s1) * scale;
            att[attOff + j + 2] = VectorLanes.sum(s2) * scale;
            att[attOff + j + 3] = VectorLanes.sum(s3) * scale;
        }
        for (; j < visible; j++) {
            att[attOff + j] = dot(q, qOff, keys, j * kvStride + kvOff, headDim) * scale;
        }
        softmax(att, attOff, visible);
        for (int c = 0; c < headDim; c += LANES) {
            // the output slice stays in a register: axpy's fused multiply-adds in position order
            FloatVector acc = FloatVector.zero(F);
            for (int p = 0; p < visible; p++) {
                acc = FloatVector.fromArray(F, values, p * kvStride + kvOff + c)
                        .fma(FloatVector.broadcast(F, att[attOff + p]), acc);
            }
            acc.intoArray(out, outOff + c);
        }
    }
}
