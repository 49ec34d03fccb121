package dev.seriatim.text.hf;

import dev.seriatim.io.safetensors.SafetensorsCheckpoint;
import dev.seriatim.io.safetensors.SafetensorsTensor;
import dev.seriatim.quant.BlockFormat;
import dev.seriatim.quant.BlockFormats;
import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.WeightMatrix;
import dev.seriatim.text.transformer.Architecture;
import dev.seriatim.text.transformer.LayerWeights;
import dev.seriatim.text.transformer.TransformerConfig;
import dev.seriatim.text.transformer.TransformerWeights;
import dev.seriatim.text.transformer.UnsupportedModelException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds {@link TransformerWeights} from a Hugging Face checkpoint's tensors (transformers'
 * names), so the GGUF forward pass runs it unchanged.
 *
 * <p>Llama/Mistral q and k rows stay as the checkpoint stores them: HF rotates the halves
 * (i, i + d/2) of each head, and {@link HfConfig} gives the model that convention
 * ({@link Architecture.Rope#SPLIT_HALF}) instead of the llama GGUF one, whose adjacent pairs sit
 * on rows llama.cpp's converter permuted; permuting here would copy every q and k matrix.
 * GPT-2 stores its projections as Conv1D, [in, out]; they are transposed into F32. Every other
 * matrix (F32, F16, BF16) is used in place, a view over the mapped shard.
 */
public final class HfWeightsLoader {

    /** Bytes of a Conv1D tensor read at a time while transposing it. */
    static final long READ_BYTES = 1L << 20;

    private final SafetensorsCheckpoint checkpoint;
    private final TransformerConfig c;
    private final long readBytes;

    private HfWeightsLoader(SafetensorsCheckpoint checkpoint, TransformerConfig c, long readBytes) {
        this.checkpoint = checkpoint;
        this.c = c;
        this.readBytes = readBytes;
    }

    /** The weights; the checkpoint must stay open while they are used. */
    public static TransformerWeights load(SafetensorsCheckpoint checkpoint, HfConfig config) {
        return load(checkpoint, config, READ_BYTES);
    }

    /** {@link #load} reading Conv1D tensors {@code readBytes} at a time (at least a row). */
    static TransformerWeights load(SafetensorsCheckpoint checkpoint, HfConfig config, long readBytes) {
        return new HfWeightsLoader(checkpoint, config.config(), readBytes).read(config.ropeFreqFactors());
    }

    private TransformerWeights read(float[] ropeFactors) {
        return c.architecture() == Architecture.GPT2 ? gpt2() : llamaLike(ropeFactors);
    }

    private TransformerWeights llamaLike(float[] ropeFactors) {
        int dim = c.dim();
        boolean bias = c.architecture().qkvBias();
        WeightMatrix embedding = matrix("model.embed_tokens.weight", c.vocabSize(), dim);
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            String p = "model.layers." + l + ".";
            WeightMatrix wq = matrix(p + "self_attn.q_proj.weight", c.qDim(), dim);
            WeightMatrix wk = matrix(p + "self_attn.k_proj.weight", c.kvDim(), dim);
            layers.add(new LayerWeights(
                    vector(p + "input_layernorm.weight", dim), null,
                    null, null,
                    wq, wk, matrix(p + "self_attn.v_proj.weight", c.kvDim(), dim),
                    bias ? vector(p + "self_attn.q_proj.bias", c.qDim()) : null,
                    bias ? vector(p + "self_attn.k_proj.bias", c.kvDim()) : null,
                    bias ? vector(p + "self_attn.v_proj.bias", c.kvDim()) : null,
                    matrix(p + "self_attn.o_proj.weight", dim, c.qDim()), null,
                    vector(p + "post_attention_layernorm.weight", dim), null,
                    matrix(p + "mlp.gate_proj.weight", c.ffnDim(), dim),
                    matrix(p + "mlp.up_proj.weight", c.ffnDim(), dim), null,
                    matrix(p + "mlp.down_proj.weight", dim, c.ffnDim()), null));
        }
        // some tied checkpoints still carry lm_head.weight; untied ones must
        WeightMatrix output = c.tiedOutput() ? embedding : matrix("lm_head.weight", c.vocabSize(), dim);
        return new TransformerWeights(embedding, null, List.copyOf(layers), vector("model.norm.weight", dim), null,
                output, ropeFactors);
    }

    private TransformerWeights gpt2() {
        int dim = c.dim();
        int ffn = c.ffnDim();
        String pre = checkpoint.tensor("transformer.wte.weight").isPresent() ? "transformer." : "";
        WeightMatrix embedding = matrix(pre + "wte.weight", c.vocabSize(), dim);
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            String p = pre + "h." + l + ".";
            layers.add(new LayerWeights(
                    vector(p + "ln_1.weight", dim), vector(p + "ln_1.bias", dim),
                    conv1d(p + "attn.c_attn.weight", dim, 3 * dim), vector(p + "attn.c_attn.bias", 3 * dim),
                    null, null, null, null, null, null,
                    conv1d(p + "attn.c_proj.weight", dim, dim), vector(p + "attn.c_proj.bias", dim),
                    vector(p + "ln_2.weight", dim), vector(p + "ln_2.bias", dim),
                    null,
                    conv1d(p + "mlp.c_fc.weight", dim, ffn), vector(p + "mlp.c_fc.bias", ffn),
                    conv1d(p + "mlp.c_proj.weight", ffn, dim), vector(p + "mlp.c_proj.bias", dim)));
        }
        return new TransformerWeights(embedding, matrix(pre + "wpe.weight", c.contextLength(), dim), List.copyOf(layers),
                vector(pre + "ln_f.weight", dim), vector(pre + "ln_f.bias", dim), embedding, null);
    }

    private SafetensorsTensor require(String name) {
        return checkpoint.tensor(name).orElseThrow(() -> new UnsupportedModelException(
                "tensor '" + name + "' is missing from the checkpoint"));
    }

    private static BlockFormat format(SafetensorsTensor t) {
        GgmlType type = t.dtype().ggmlType().orElseThrow(() -> new UnsupportedModelException(
                "tensor '" + t.name() + "' has dtype " + t.dtype() + " (supported: F32, F16, BF16)"));
        return BlockFormats.of(type);
    }

    private void checkShape(SafetensorsTensor t, long... expected) {
        if (!Arrays.equals(t.shape(), expected)) {
            throw new UnsupportedModelException("tensor '" + t.name() + "' has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(expected));
        }
    }

    /** A [rows, cols] matrix stored as torch's Linear weight [out, in]: used in place. */
    private WeightMatrix matrix(String name, int rows, int cols) {
        SafetensorsTensor t = require(name);
        checkShape(t, rows, cols);
        return new WeightMatrix(name, format(t), checkpoint.data(t), rows, cols);
    }

    private float[] vector(String name, int n) {
        SafetensorsTensor t = require(name);
        checkShape(t, n);
        float[] out = new float[n];
        format(t).dequantize(checkpoint.data(t), 0, out, 0, n);
        return out;
    }

    /**
     * A Conv1D weight [in, out], transposed into an F32 [out, in] matrix in memory the checkpoint
     * owns. The source is read with file reads, a megabyte of rows at a time, not through the
     * mapping: it is not needed after this, and mapped pages once touched would stay resident
     * beside the copy (the bench of a stories110M-shape GPT-2 folder peaked at 725-728 MiB
     * that way and at 566 MiB this way; the same model as GGUF at 457 MiB).
     */
    private WeightMatrix conv1d(String name, int in, int out) {
        SafetensorsTensor t = require(name);
        checkShape(t, in, out);
        BlockFormat f = format(t);
        MemorySegment dst = checkpoint.allocate((long) in * out * Float.BYTES, 64);
        long rowBytes = f.rowBytes(out);
        int rowsPerRead = (int) Math.max(1, Math.min(in, readBytes / rowBytes));
        MemorySegment chunk = MemorySegment.ofArray(new byte[Math.toIntExact(rowsPerRead * rowBytes)]);
        float[] row = new float[out];
        for (int first = 0; first < in; first += rowsPerRead) {
            int rows = Math.min(rowsPerRead, in - first);
            try {
                checkpoint.read(t, first * rowBytes, chunk.asSlice(0, rows * rowBytes));
            } catch (IOException e) {
                throw new UncheckedIOException("reading tensor '" + name + "': " + e.getMessage(), e);
            }
            for (int r = 0; r < rows; r++) {
                f.dequantize(chunk, r * rowBytes, row, 0, out);
                int i = first + r;
                for (int o = 0; o < out; o++) {
                    dst.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, (long) o * in + i, row[o]);
                }
            }
        }
        return new WeightMatrix(name, BlockFormats.of(GgmlType.F32), dst, out, in);
    }
}
