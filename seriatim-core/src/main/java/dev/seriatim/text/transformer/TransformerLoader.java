package dev.seriatim.text.transformer;

import dev.seriatim.io.gguf.GgufFile;
import dev.seriatim.io.gguf.GgufMetadata;
import dev.seriatim.io.gguf.GgufTensorInfo;
import dev.seriatim.quant.BlockFormat;
import dev.seriatim.quant.BlockFormats;
import dev.seriatim.tensor.WeightMatrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads a transformer's hyperparameters and weights from a GGUF file, using llama.cpp's key and
 * tensor names. Matrices are views over the mapped file; every shape is checked against the
 * hyperparameters so a malformed model fails here, by name, rather than in the forward pass.
 */
public final class TransformerLoader {

    private final GgufFile file;
    private final GgufMetadata meta;
    private final String arch;

    private TransformerLoader(GgufFile file) {
        this.file = file;
        this.meta = file.metadata();
        this.arch = file.architecture();
    }

    /** The hyperparameters of the model in {@code file}. */
    public static TransformerConfig config(GgufFile file) {
        return new TransformerLoader(file).readConfig();
    }

    /** Config and weights of the model in {@code file}; the file must stay open while they are used. */
    public static TransformerWeights weights(GgufFile file, TransformerConfig config) {
        return new TransformerLoader(file).readWeights(config);
    }

    private TransformerConfig readConfig() {
        Architecture a = Architecture.fromGguf(arch);
        int dim = intKey(arch + ".embedding_length");
        int layers = intKey(arch + ".block_count");
        int heads = intKey(arch + ".attention.head_count");
        int kvHeads = (int) meta.findLong(arch + ".attention.head_count_kv").orElse(heads);
        int ffn = intKey(arch + ".feed_forward_length");
        int context = intKey(arch + ".context_length");
        if (heads <= 0 || dim % heads != 0) {
            throw new UnsupportedModelException("embedding length " + dim + " is not a multiple of the head count " + heads);
        }
        int headDim = (int) meta.findLong(arch + ".attention.key_length").orElse(dim / heads);
        float eps = a.norm() == Architecture.Norm.RMS
                ? meta.findFloat(arch + ".attention.layer_norm_rms_epsilon").orElse(1e-5f)
                : meta.findFloat(arch + ".attention.layer_norm_epsilon").orElse(1e-5f);
        float theta = meta.findFloat(arch + ".rope.freq_base").orElse(10000f);
        int ropeDim = a.rope() == Architecture.Rope.NONE ? 0
                : (int) meta.findLong(arch + ".rope.dimension_count").orElse(headDim);
        float ropeScale = 1f;
        String scaling = meta.findString(arch + ".rope.scaling.type").orElse("none");
        switch (scaling) {
            case "none", "" -> { }
            case "linear" -> ropeScale = meta.findFloat(arch + ".rope.scaling.factor").orElse(1f);
            default -> throw new UnsupportedModelException("rope scaling '" + scaling + "' is not supported (supported: none, linear)");
        }
        int vocab = vocabSize();
        boolean tied = file.tensor("output.weight").isEmpty();
        return new TransformerConfig(a, dim, layers, heads, kvHeads, headDim, ffn, vocab, context, eps, theta,
                ropeDim, ropeScale, tied);
    }

    private int vocabSize() {
        GgufTensorInfo embd = require("token_embd.weight");
        if (embd.shape().length != 2) {
            throw new UnsupportedModelException("token_embd.weight has shape " + Arrays.toString(embd.shape())
                    + ", expected 2 dimensions");
        }
        return toInt(embd.shape()[1], "token_embd.weight rows");
    }

    private TransformerWeights readWeights(TransformerConfig c) {
        int dim = c.dim();
        int qDim = c.qDim();
        int kvDim = c.kvDim();
        WeightMatrix embedding = matrix("token_embd.weight", c.vocabSize(), dim);
        WeightMatrix positions = c.architecture() == Architecture.GPT2
                ? matrix("position_embd.weight", c.contextLength(), dim) : null;
        boolean layerNorm = c.architecture().norm() == Architecture.Norm.LAYER;
        boolean fused = c.architecture() == Architecture.GPT2;
        boolean biases = c.architecture() == Architecture.GPT2;
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            String p = "blk." + l + ".";
            layers.add(new LayerWeights(
                    vector(p + "attn_norm.weight", dim),
                    layerNorm ? vector(p + "attn_norm.bias", dim) : null,
                    fused ? matrix(p + "attn_qkv.weight", qDim + 2 * kvDim, dim) : null,
                    fused ? vector(p + "attn_qkv.bias", qDim + 2 * kvDim) : null,
                    fused ? null : matrix(p + "attn_q.weight", qDim, dim),
                    fused ? null : matrix(p + "attn_k.weight", kvDim, dim),
                    fused ? null : matrix(p + "attn_v.weight", kvDim, dim),
                    qkvBias(c, p + "attn_q.bias", qDim),
                    qkvBias(c, p + "attn_k.bias", kvDim),
                    qkvBias(c, p + "attn_v.bias", kvDim),
                    matrix(p + "attn_output.weight", dim, qDim),
                    biases ? vector(p + "attn_output.bias", dim) : null,
                    vector(p + "ffn_norm.weight", dim),
                    layerNorm ? vector(p + "ffn_norm.bias", dim) : null,
                    c.architecture().ffn() == Architecture.Ffn.SWIGLU ? matrix(p + "ffn_gate.weight", c.ffnDim(), dim) : null,
                    matrix(p + "ffn_up.weight", c.ffnDim(), dim),
                    biases ? vector(p + "ffn_up.bias", c.ffnDim()) : null,
                    matrix(p + "ffn_down.weight", dim, c.ffnDim()),
                    biases ? vector(p + "ffn_down.bias", dim) : null));
        }
        WeightMatrix output = c.tiedOutput() ? embedding : matrix("output.weight", c.vocabSize(), dim);
        float[] ropeFactors = file.tensor("rope_freqs.weight").isPresent() && c.ropeDim() > 0
                ? vector("rope_freqs.weight", c.ropeDim() / 2) : null;
        return new TransformerWeights(embedding, positions, List.copyOf(layers),
                vector("output_norm.weight", dim), layerNorm ? vector("output_norm.bias", dim) : null,
                output, ropeFactors);
    }

    private float[] qkvBias(TransformerConfig c, String name, int n) {
        if (!c.architecture().qkvBias() || c.architecture() == Architecture.GPT2) {
            return null;
        }
        return vector(name, n);
    }

    private GgufTensorInfo require(String name) {
        Optional<GgufTensorInfo> t = file.tensor(name);
        if (t.isEmpty()) {
            throw new UnsupportedModelException("tensor '" + name + "' is missing from " + file.path().getFileName()
                    + " (architecture " + arch + ")");
        }
        return t.get();
    }

    /** A [rows, cols] matrix: GGUF stores it with shape [cols, rows] (row length first). */
    private WeightMatrix matrix(String name, int rows, int cols) {
        GgufTensorInfo t = require(name);
        long[] s = t.shape();
        if (s.length != 2 || s[0] != cols || s[1] != rows) {
            throw new UnsupportedModelException("tensor '" + name + "' has shape " + Arrays.toString(s)
                    + ", expected [" + cols + ", " + rows + "]");
        }
        BlockFormat format = BlockFormats.of(t.type());
        return new WeightMatrix(name, format, file.data(t), rows, cols);
    }

    private float[] vector(String name, int n) {
        GgufTensorInfo t = require(name);
        if (t.elementCount() != n || t.shape()[0] != n) {
            throw new UnsupportedModelException("tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                    + ", expected [" + n + "]");
        }
        float[] out = new float[n];
        BlockFormats.of(t.type()).dequantize(file.data(t), 0, out, 0, n);
        return out;
    }

    private int intKey(String key) {
        return toInt(meta.getLong(key), key);
    }

    private static int toInt(long v, String what) {
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw new UnsupportedModelException(what + " = " + v + " is out of range");
        }
        return (int) v;
    }
}
