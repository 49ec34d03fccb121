package dev.seriatim.tensor;

import dev.seriatim.quant.BlockFormat;
import dev.seriatim.quant.BlockFormats;
import java.lang.foreign.MemorySegment;

/**
 * Run in a JVM of its own by {@link WithoutVectorModuleTest}: exercises every format and kernel
 * entry point, which would fail with NoClassDefFoundError if a Vector API class got loaded
 * while the module is absent. Prints the checksum and whether the Vector API was used.
 */
public final class NoVectorSmoke {

    private NoVectorSmoke() {}

    public static void main(String[] args) {
        float[] x = new float[64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 5) - 2;
        }
        float total = 0;
        for (GgmlType type : new GgmlType[] {GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0}) {
            BlockFormat format = BlockFormats.of(type);
            MemorySegment data = MemorySegment.ofArray(new byte[(int) format.rowBytes(64) * 2]);
            format.quantize(x, 0, 64, data, 0);
            format.quantize(x, 0, 64, data, format.rowBytes(64));
            WeightMatrix w = new WeightMatrix(type.name(), format, data, 2, 64);
            float[] out = new float[2];
            w.matvec(x, 0, out, 0, Parallel.serial());
            float[] batch = new float[4];
            w.matmul(new float[128], 2, batch, Parallel.serial());
            total += out[0] + out[1] + batch[0];
        }
        float[] y = x.clone();
        Kernels.rmsNorm(y, 0, x, 0, x, 64, 1e-5f);
        Kernels.softmax(y, 0, 64);
        Kernels.axpy(2f, x, 0, y, 0, 64);
        Kernels.ropeSplitHalf(y, 0, 2, 32, new float[] {1f}, new float[] {0f});
        total += Kernels.dot(x, 0, x, 0, 64);
        System.out.println("vector=" + Kernels.usesVectorApi() + " formats=" + BlockFormats.of(GgmlType.Q8_0).getClass().getSimpleName() + " total=" + total);
    }
}
