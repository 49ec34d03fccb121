package dev.seriatim.bench;

import dev.seriatim.quant.BlockFormat;
import dev.seriatim.quant.BlockFormats;
import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.WeightMatrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/** Random matrices in any weight format, in off-heap memory as a mapped model file would be. */
final class RandomWeights {

    private RandomWeights() {
    }

    static WeightMatrix matrix(GgmlType type, int rows, int cols, Arena arena, long seed) {
        BlockFormat format = BlockFormats.of(type);
        long rowBytes = format.rowBytes(cols);
        MemorySegment data = arena.allocate(rowBytes * rows, 64);
        SplittableRandom random = new SplittableRandom(seed);
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < cols; i++) {
                row[i] = (float) random.nextGaussian();
            }
            format.quantize(row, 0, cols, data, r * rowBytes);
        }
        return new WeightMatrix(type.name(), format, data, rows, cols);
    }

    static float[] vector(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
