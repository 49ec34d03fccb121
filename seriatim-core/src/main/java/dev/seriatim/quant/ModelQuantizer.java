package dev.seriatim.quant;

import dev.seriatim.io.gguf.GgufFile;
import dev.seriatim.io.gguf.GgufTensorInfo;
import dev.seriatim.io.gguf.GgufValue;
import dev.seriatim.io.gguf.GgufWriter;
import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.Parallel;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Re-quantizes a GGUF model: every tensor is decoded row by row to float32 and encoded in the type
 * a {@link QuantizationPlan} chooses for it (a tensor already in that type is copied unchanged),
 * all metadata is copied in order, {@code general.file_type} and
 * {@code general.quantization_version} are set, and the file is written atomically.
 *
 * <p>The output is built in memory before it is written (as {@link GgufWriter} does), so the
 * heap must hold the quantized model. Rows are encoded in parallel; each row's bytes depend on
 * that row alone, so the file does not depend on the thread count.
 */
public final class ModelQuantizer {

    /** What happened to one tensor; {@code note} says why the type is not the plan's, or null. */
    public record TensorReport(String name, GgmlType from, GgmlType to, String note) {}

    private ModelQuantizer() {}

    /**
     * Writes {@code in} re-quantized by {@code plan} to {@code out}; reports each tensor to
     * {@code progress} as it is done and returns all reports.
     *
     * @throws UnsupportedTypeException when a tensor's type cannot be decoded
     * @throws IllegalArgumentException when a tensor is too large to hold in one array
     */
    public static List<TensorReport> quantize(GgufFile in, QuantizationPlan plan, Path out, Parallel parallel,
            Consumer<TensorReport> progress) throws IOException {
        GgufWriter writer = new GgufWriter();
        for (String key : in.metadata().keys()) {
            writer.put(key, in.metadata().get(key).orElseThrow());
        }
        writer.put("general.file_type", GgufValue.uint32(plan.fileType()));
        writer.put("general.quantization_version", GgufValue.uint32(2));
        int layers = layerCount(in);
        List<TensorReport> reports = new ArrayList<>();
        for (GgufTensorInfo t : in.tensors()) {
            QuantizationPlan.Choice choice = plan.choose(t.name(), t.type(), t.shape(), layers);
            byte[] data = choice.type() == t.type()
                    ? in.data(t).toArray(ValueLayout.JAVA_BYTE)
                    : convert(in.data(t), t, choice.type(), parallel);
            writer.addTensor(t.name(), choice.type(), t.shape(), data);
            TensorReport report = new TensorReport(t.name(), t.type(), choice.type(), choice.note());
            reports.add(report);
            progress.accept(report);
        }
        writer.write(out);
        return reports;
    }

    private static byte[] convert(MemorySegment source, GgufTensorInfo t, GgmlType to, Parallel parallel) {
        BlockFormat decoder = BlockFormats.of(t.type());
        BlockFormat encoder = BlockFormats.of(to);
        int cols = Math.toIntExact(t.shape()[0]);
        if (cols % t.type().blockSize() != 0) {
            throw new IllegalArgumentException("tensor " + t.name() + ": rows of " + cols
                    + " values are not a whole number of " + t.type() + " blocks");
        }
        long rows = t.elementCount() / cols;
        long outBytes = encoder.rowBytes(cols) * rows;
        if (rows > Integer.MAX_VALUE || outBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor " + t.name() + " is too large to re-quantize ("
                    + outBytes + " bytes)");
        }
        byte[] data = new byte[(int) outBytes];
        MemorySegment target = MemorySegment.ofArray(data);
        long inRow = decoder.rowBytes(cols);
        long outRow = encoder.rowBytes(cols);
        parallel.forRange((int) rows, (start, end) -> {
            float[] row = new float[cols];
            for (int r = start; r < end; r++) {
                decoder.dequantize(source, r * inRow, row, 0, cols);
                encoder.quantize(row, 0, cols, target, r * outRow);
            }
        });
        return data;
    }

    /** The block count from metadata, else one more than the highest "blk.N." tensor. */
    private static int layerCount(GgufFile in) {
        String arch = in.metadata().findString("general.architecture").orElse("");
        var fromMetadata = in.metadata().findLong(arch + ".block_count");
        if (fromMetadata.isPresent() && fromMetadata.getAsLong() > 0 && fromMetadata.getAsLong() < 1 << 20) {
            return (int) fromMetadata.getAsLong();
        }
        int highest = -1;
        for (GgufTensorInfo t : in.tensors()) {
            highest = Math.max(highest, QuantizationPlan.layerOf(t.name()));
        }
        return highest + 1;
    }
}
