package dev.seriatim.bench;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.Parallel;
import dev.seriatim.tensor.WeightMatrix;
import java.lang.foreign.Arena;
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

/** Batched matrix product of prefill (a block of tokens through one weight matrix), per weight type. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MatmulBenchmark {

    @Param({"F32", "Q8_0", "Q4_0", "Q4_K", "Q6_K"})
    public String type;

    @Param({"768"})
    public int dim;

    /** 256 is the transformer's prefill batch. */
    @Param({"64", "256"})
    public int tokens;

    @Param({"2"})
    public int threads;

    private Arena arena;
    private Parallel parallel;
    private WeightMatrix matrix;
    private float[] x;
    private float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        parallel = threads == 1 ? Parallel.serial() : new Parallel(threads);
        matrix = RandomWeights.matrix(GgmlType.valueOf(type), 4 * dim, dim, arena, 1);
        x = RandomWeights.vector(tokens * dim, 2);
        out = new float[tokens * 4 * dim];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
        arena.close();
    }

    @Benchmark
    public float[] matmul(Flops work) {
        matrix.matmul(x, tokens, out, parallel);
        work.flops += 2L * tokens * matrix.rows() * matrix.cols();
        return out;
    }
}
