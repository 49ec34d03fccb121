package dev.seriatim.train;

import dev.seriatim.io.gguf.GgufFile;
import dev.seriatim.io.gguf.GgufTensorInfo;
import dev.seriatim.io.gguf.GgufWriter;
import dev.seriatim.nn.Parameter;
import dev.seriatim.quant.BlockFormat;
import dev.seriatim.quant.BlockFormats;
import dev.seriatim.tensor.GgmlType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Writes a trained {@link GptModel} as a {@code llama} GGUF file: the hyperparameter keys the
 * inference engine and llama.cpp read, the byte vocabulary, and the parameters under their
 * GGUF names. Matrices may be quantized (Q8_0); norm scales stay F32 as in every GGUF model.
 */
public final class GgufExport {

    private static final ValueLayout.OfFloat FLOAT_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private GgufExport() {}

    /** Writes a byte-level model atomically with matrices in {@code type} (F32, F16, BF16, Q8_0 or Q4_0). */
    public static void write(GptModel model, GgmlType type, String name, Path out) throws IOException {
        write(model, TokenizerKeys.bytes(), type, name, out);
    }

    /** Writes the model with the given vocabulary keys. */
    public static void write(GptModel model, TokenizerKeys tokenizer, GgmlType type, String name, Path out)
            throws IOException {
        writer(model, tokenizer, type, name).write(out);
    }

    /** A writer holding the model's keys and tensors, to which a checkpoint adds its own. */
    static GgufWriter writer(GptModel model, TokenizerKeys tokenizer, GgmlType type, String name) {
        if (tokenizer.size() != model.config().vocabSize()) {
            throw new IllegalArgumentException("the vocabulary has " + tokenizer.size() + " tokens, the model "
                    + model.config().vocabSize());
        }
        GptConfig c = model.config();
        GgufWriter w = new GgufWriter();
        String a = "llama";
        w.putString("general.architecture", a);
        w.putString("general.name", name);
        w.putUInt32("general.file_type", new dev.seriatim.quant.QuantizationPlan(type, false, false, false).fileType());
        w.putUInt32(a + ".context_length", c.context());
        w.putUInt32(a + ".embedding_length", c.dim());
        w.putUInt32(a + ".block_count", c.layers());
        w.putUInt32(a + ".feed_forward_length", c.ffnDim());
        w.putUInt32(a + ".attention.head_count", c.heads());
        w.putUInt32(a + ".attention.head_count_kv", c.heads());
        w.putFloat32(a + ".attention.layer_norm_rms_epsilon", c.normEps());
        w.putFloat32(a + ".rope.freq_base", c.ropeTheta());
        w.putUInt32(a + ".rope.dimension_count", c.headDim());
        tokenizer.writeTo(w);
        for (Parameter p : model.parameters()) {
            boolean matrix = p.tensor().rank() == 2;
            add(w, p.name(), matrix ? type : GgmlType.F32, p.tensor().data(), p.tensor().shape());
        }
        return w;
    }

    /** Adds a float array as a tensor of the given row-major shape, converted to type. */
    static void add(GgufWriter w, String name, GgmlType type, float[] values, int[] shape) {
        int cols = shape[shape.length - 1];
        int rows = values.length / cols;
        if (cols % type.blockSize() != 0) {
            throw new IllegalArgumentException("cannot store " + name + " as " + type + ": its rows of " + cols
                    + " values are not whole blocks of " + type.blockSize());
        }
        BlockFormat format = BlockFormats.of(type);
        long rowBytes = format.rowBytes(cols);
        byte[] data = new byte[Math.toIntExact(rowBytes * rows)];
        MemorySegment seg = MemorySegment.ofArray(data);
        for (int r = 0; r < rows; r++) {
            format.quantize(values, r * cols, cols, seg, r * rowBytes);
        }
        long[] ggmlShape = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            ggmlShape[i] = shape[shape.length - 1 - i]; // ggml lists the row length first
        }
        w.addTensor(name, type, ggmlShape, data);
    }

    /** The values of an F32 tensor of the file, checked against the expected element count. */
    static float[] readF32(GgufFile file, String name, int expected) throws IOException {
        GgufTensorInfo info = file.tensor(name)
                .orElseThrow(() -> new IOException(file.path() + " has no tensor " + name));
        if (info.type() != GgmlType.F32 || info.elementCount() != expected) {
            throw new IOException(file.path() + ": tensor " + name + " is " + info.type() + " with "
                    + info.elementCount() + " values, expected F32 with " + expected);
        }
        return file.data(info).toArray(FLOAT_LE);
    }
}
