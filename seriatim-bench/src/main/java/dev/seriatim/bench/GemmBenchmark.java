package dev.seriatim.bench;

import dev.seriatim.tensor.Gemm;
import dev.seriatim.tensor.Parallel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The three products of a linear layer in training, at the shapes of the benchmark
 * model (batch 32 x context 128 rows, dim 128, SwiGLU width 352): forward x w^T, input
 * gradient dy w, weight gradient dy^T x. Flops per call: 2 * rows * in * out.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {

    @Param({"4096"})
    int rows;

    @Param({"128"})
    int in;

    @Param({"352"})
    int out;

    @Param({"1", "2"})
    int threads;

    float[] x;
    float[] w;
    float[] y;
    float[] dx;
    float[] dw;
    Parallel parallel;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(1);
        x = gaussian(random, rows * in);
        w = gaussian(random, out * in);
        y = gaussian(random, rows * out);
        dx = new float[rows * in];
        dw = new float[out * in];
        parallel = new Parallel(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
    }

    @Benchmark
    public float[] forward() {
        float[] result = new float[rows * out];
        Gemm.xwT(x, w, result, rows, in, out, parallel);
        return result;
    }

    @Benchmark
    public float[] inputGradient() {
        Gemm.dyW(y, w, dx, rows, out, in, parallel);
        return dx;
    }

    @Benchmark
    public float[] weightGradient() {
        Gemm.dyTx(y, x, dw, rows, out, in, parallel);
        return dw;
    }

    private static float[] gaussian(SplittableRandom random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }
}
