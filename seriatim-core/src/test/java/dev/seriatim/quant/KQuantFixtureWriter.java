package dev.seriatim.quant;

import dev.seriatim.io.gguf.GgufWriter;
import dev.seriatim.tensor.GgmlType;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes {@code golden/kquants.gguf}: one [512 x 4] tensor per K-quant type (and per Q4_1, Q5_0, Q5_1), named after the type
 * in lower case, quantized by Seriatim from fixed seeded values. The rows cover the cases the
 * scale packing must get right: Gaussian, small values with outliers, all positive (zero mins)
 * and a row with an all-zero sub-block. Run by tools/reference/make_golden_fixtures.sh:
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp seriatim-core/target/classes:seriatim-core/target/test-classes \
 *       dev.seriatim.quant.KQuantFixtureWriter OUT.gguf
 * </pre>
 */
public final class KQuantFixtureWriter {

    static final int COLS = 512;
    static final int ROWS = 4;
    static final GgmlType[] TYPES = {GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1};

    private KQuantFixtureWriter() {}

    public static void main(String[] args) throws Exception {
        GgufWriter writer = new GgufWriter();
        writer.putString("general.name", "seriatim K-quant dequantization fixture");
        for (GgmlType type : TYPES) {
            float[] values = values(new Random(20261128L + type.id()));
            BlockFormat format = BlockFormats.scalar(type);
            long rowBytes = format.rowBytes(COLS);
            byte[] data = new byte[Math.toIntExact(rowBytes * ROWS)];
            for (int r = 0; r < ROWS; r++) {
                format.quantize(values, r * COLS, COLS, MemorySegment.ofArray(data), r * rowBytes);
            }
            writer.addTensor(type.name().toLowerCase(java.util.Locale.ROOT), type, new long[] {COLS, ROWS}, data);
        }
        writer.write(Path.of(args[0]));
    }

    static float[] values(Random random) {
        float[] v = new float[COLS * ROWS];
        for (int i = 0; i < COLS; i++) {
            v[i] = (float) random.nextGaussian();
            v[COLS + i] = (float) (random.nextGaussian() * 0.02 * (random.nextInt(40) == 0 ? 10 : 1));
            v[2 * COLS + i] = (float) Math.abs(random.nextGaussian() * 0.5) + 0.1f;
            v[3 * COLS + i] = i / 32 == 3 ? 0f : (float) (random.nextGaussian() * 3);
        }
        return v;
    }
}
