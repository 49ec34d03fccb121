package dev.seriatim.bench;

import dev.seriatim.tensor.Kernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The small per-token kernels: dot, RMSNorm, softmax, RoPE. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KernelsBenchmark {

    @Param({"64", "2048"})
    public int n;

    private float[] a;
    private float[] b;
    private float[] out;
    private float[] weight;
    private float[] cos;
    private float[] sin;

    @Setup
    public void setUp() {
        a = RandomWeights.vector(n, 1);
        b = RandomWeights.vector(n, 2);
        weight = RandomWeights.vector(n, 3);
        out = new float[n];
        cos = RandomWeights.vector(32, 4);
        sin = RandomWeights.vector(32, 5);
    }

    @Benchmark
    public float dot() {
        return Kernels.dot(a, 0, b, 0, n);
    }

    @Benchmark
    public float[] rmsNorm() {
        Kernels.rmsNorm(out, 0, a, 0, weight, n, 1e-5f);
        return out;
    }

    @Benchmark
    public float[] softmax() {
        System.arraycopy(a, 0, out, 0, n);
        Kernels.softmax(out, 0, n);
        return out;
    }

    @Benchmark
    public float[] ropeInterleaved() {
        Kernels.ropeInterleaved(a, 0, n / 64, 64, cos, sin);
        return a;
    }
}
