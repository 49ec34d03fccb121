package dev.seriatim.bench;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.Parallel;
import dev.seriatim.tensor.WeightMatrix;
import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Matrix-vector product (one decode step's projection) per weight type. The auxiliary
 * counters report weight bytes read and floating-point operations per second, so results read
 * directly as GB/s (memory bound) and GFLOP/s.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar seriatim-bench/target/benchmarks.jar Matvec}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MatvecBenchmark {

    @Param({"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    public String type;

    @Param({"2048"})
    public int rows;

    @Param({"2048"})
    public int cols;

    @Param({"1", "2"})
    public int threads;

    private Arena arena;
    private Parallel parallel;
    private WeightMatrix matrix;
    private float[] x;
    private float[] out;

    /** Bytes and flops done, reported per second by JMH. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Work {
        public long weightBytes;
        public long flops;
    }

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        parallel = threads == 1 ? Parallel.serial() : new Parallel(threads);
        matrix = RandomWeights.matrix(GgmlType.valueOf(type), rows, cols, arena, 1);
        x = RandomWeights.vector(cols, 2);
        out = new float[rows];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
        arena.close();
    }

    @Benchmark
    public float[] matvec(Work work) {
        matrix.matvec(x, 0, out, 0, parallel);
        work.weightBytes += matrix.format().rowBytes(cols) * rows;
        work.flops += 2L * rows * cols;
        return out;
    }
}
