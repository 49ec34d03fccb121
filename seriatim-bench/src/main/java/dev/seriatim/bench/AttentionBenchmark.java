package dev.seriatim.bench;

import dev.seriatim.tensor.CausalAttention;
import dev.seriatim.tensor.Parallel;
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
 * Causal attention of one layer (12 heads of 64, the stories110M shape): a prefill batch of
 * {@code queries} new positions after {@code cached} ones, or one query (generation) when
 * queries is 1. Reports floating-point operations per second (the QK^T and PV products).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class AttentionBenchmark {

    private static final int HEADS = 12;
    private static final int KV_HEADS = 12;
    private static final int HEAD_DIM = 64;

    @Param({"1", "256"})
    public int queries;

    @Param({"0", "1024"})
    public int cached;

    @Param({"1", "2"})
    public int threads;

    private Parallel parallel;
    private float[] q;
    private float[] keys;
    private float[] values;
    private float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        parallel = threads == 1 ? Parallel.serial() : new Parallel(threads);
        int kvDim = KV_HEADS * HEAD_DIM;
        int total = cached + queries;
        q = RandomWeights.vector(queries * HEADS * HEAD_DIM, 1);
        float[] keyRows = RandomWeights.vector(total * kvDim, 2);
        keys = new float[(int) CausalAttention.keyCacheLength(total, kvDim)];
        for (int t = 0; t < total; t++) {
            CausalAttention.storeKey(keys, t, keyRows, t * kvDim, kvDim);
        }
        values = RandomWeights.vector(total * kvDim, 3);
        out = new float[queries * HEADS * HEAD_DIM];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
    }

    @Benchmark
    public float[] attend(Flops work) {
        CausalAttention.attend(q, HEADS * HEAD_DIM, keys, values, KV_HEADS * HEAD_DIM, HEADS, KV_HEADS, HEAD_DIM, cached,
                queries, 0.125f, out, parallel);
        // each query i sees cached + i + 1 keys: two products of 2 * headDim flops per key and head
        long keysSeen = (long) queries * cached + (long) queries * (queries + 1) / 2;
        work.flops += 4L * HEAD_DIM * HEADS * keysSeen;
        return out;
    }
}
