package dev.seriatim.text.transformer;

import dev.seriatim.io.gguf.GgufWriter;
import dev.seriatim.quant.BlockFormat;
import dev.seriatim.quant.BlockFormats;
import dev.seriatim.quant.QuantizationPlan;
import dev.seriatim.tensor.GgmlType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.SplittableRandom;

/**
 * Writes a transformer with random weights as a GGUF file that Seriatim (and llama.cpp) can
 * load: for benchmarks of real model shapes and for golden tests against a reference.
 *
 * <p>Matrices are drawn from N(0, std^2) (GPT-2 initialises with std 0.02) and stored in the
 * chosen type; norm scales are 1 plus noise, biases noise of the same std, all kept in F32. The vocabulary
 * is a SentencePiece-style one (unk, BOS, EOS, the 256 byte tokens, then letter pieces), so
 * text prompts tokenize.
 */
public final class RandomModelWriter {

    private final TransformerConfig c;
    private final GgmlType type;
    private final SplittableRandom random;
    private final double std;
    private final GgufWriter writer = new GgufWriter();

    private RandomModelWriter(TransformerConfig c, GgmlType type, long seed, double std) {
        this.c = c;
        this.type = type;
        this.random = new SplittableRandom(seed);
        this.std = std;
    }

    /** Writes the model with GPT-2's initial scale (std 0.02). */
    public static void write(TransformerConfig config, GgmlType type, long seed, Path out) throws IOException {
        write(config, type, seed, 0.02, out);
    }

    /**
     * Writes the model; the same arguments always give the same file. Golden tests use a larger
     * {@code std} than training would, so that every block visibly moves the logits.
     */
    public static void write(TransformerConfig config, GgmlType type, long seed, double std, Path out) throws IOException {
        write(config, type, seed, std, Map.of(), out);
    }

    /**
     * Writes the model with extra string metadata (chat templates, say), which replaces the
     * value of a key the writer sets itself.
     */
    public static void write(TransformerConfig config, GgmlType type, long seed, double std, Map<String, String> metadata,
                             Path out) throws IOException {
        if (config.rope() != config.architecture().rope()) {
            // a GGUF file of an architecture has that architecture's RoPE convention
            throw new IllegalArgumentException("a " + config.architecture() + " GGUF uses " + config.architecture().rope()
                    + " RoPE, not " + config.rope());
        }
        if (!(std > 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("weight std must be positive, got " + std);
        }
        BlockFormats.of(type); // fail early, with the usual message, on a type we cannot write
        GgufWriter w = new RandomModelWriter(config, type, seed, std).build();
        for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
            w.putString(e.getKey(), e.getValue());
        }
        w.write(out);
    }

    private GgufWriter build() {
        String a = c.architecture().ggufName();
        writer.putString("general.architecture", a);
        writer.putString("general.name", "random " + a + " " + c.dim() + "x" + c.layers() + " " + type.name());
        // what llama.cpp-style tools show as the file's quantization (they guess without it)
        writer.putUInt32("general.file_type", new QuantizationPlan(type, false, false, false).fileType());
        writer.putUInt32(a + ".context_length", c.contextLength());
        writer.putUInt32(a + ".embedding_length", c.dim());
        writer.putUInt32(a + ".block_count", c.layers());
        writer.putUInt32(a + ".feed_forward_length", c.ffnDim());
        writer.putUInt32(a + ".attention.head_count", c.heads());
        writer.putUInt32(a + ".attention.head_count_kv", c.kvHeads());
        if (c.architecture().norm() == Architecture.Norm.RMS) {
            writer.putFloat32(a + ".attention.layer_norm_rms_epsilon", c.normEps());
        } else {
            writer.putFloat32(a + ".attention.layer_norm_epsilon", c.normEps());
        }
        if (c.architecture().rope() != Architecture.Rope.NONE) {
            writer.putFloat32(a + ".rope.freq_base", c.ropeTheta());
            writer.putUInt32(a + ".rope.dimension_count", c.ropeDim());
        }
        vocabulary();

        int dim = c.dim();
        int qkv = c.qDim() + 2 * c.kvDim();
        matrix("token_embd.weight", c.vocabSize(), dim);
        if (c.architecture() == Architecture.GPT2) {
            matrix("position_embd.weight", c.contextLength(), dim);
        }
        boolean layerNorm = c.architecture().norm() == Architecture.Norm.LAYER;
        boolean gpt2 = c.architecture() == Architecture.GPT2;
        for (int l = 0; l < c.layers(); l++) {
            String p = "blk." + l + ".";
            scale(p + "attn_norm.weight", dim);
            if (layerNorm) {
                bias(p + "attn_norm.bias", dim);
            }
            if (gpt2) {
                matrix(p + "attn_qkv.weight", qkv, dim);
                bias(p + "attn_qkv.bias", qkv);
            } else {
                matrix(p + "attn_q.weight", c.qDim(), dim);
                matrix(p + "attn_k.weight", c.kvDim(), dim);
                matrix(p + "attn_v.weight", c.kvDim(), dim);
                if (c.architecture().qkvBias()) {
                    bias(p + "attn_q.bias", c.qDim());
                    bias(p + "attn_k.bias", c.kvDim());
                    bias(p + "attn_v.bias", c.kvDim());
                }
            }
            matrix(p + "attn_output.weight", dim, c.qDim());
            if (gpt2) {
                bias(p + "attn_output.bias", dim);
            }
            scale(p + "ffn_norm.weight", dim);
            if (layerNorm) {
                bias(p + "ffn_norm.bias", dim);
            }
            if (c.architecture().ffn() == Architecture.Ffn.SWIGLU) {
                matrix(p + "ffn_gate.weight", c.ffnDim(), dim);
            }
            matrix(p + "ffn_up.weight", c.ffnDim(), dim);
            if (gpt2) {
                bias(p + "ffn_up.bias", c.ffnDim());
            }
            matrix(p + "ffn_down.weight", dim, c.ffnDim());
            if (gpt2) {
                bias(p + "ffn_down.bias", dim);
            }
        }
        scale("output_norm.weight", dim);
        if (layerNorm) {
            bias("output_norm.bias", dim);
        }
        if (!c.tiedOutput()) {
            matrix("output.weight", c.vocabSize(), dim);
        }
        return writer;
    }

    /** Smallest vocabulary: unk, BOS, EOS, 256 byte tokens and the word-start marker. */
    public static final int MIN_VOCAB = 260;

    private void vocabulary() {
        if (c.vocabSize() < MIN_VOCAB) {
            throw new IllegalArgumentException("a random model's vocabulary needs at least " + MIN_VOCAB
                    + " tokens (3 special, 256 bytes, the word marker), got " + c.vocabSize());
        }
        List<String> tokens = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        tokens.add("<unk>");
        types.add(2);
        tokens.add("<s>");
        types.add(3);
        tokens.add("</s>");
        types.add(3);
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format(java.util.Locale.ROOT, "<0x%02X>", b));
            types.add(6);
        }
        // a lone word-start marker, as every SentencePiece vocabulary has: without it a space
        // before a non-letter would fall back to the marker's own UTF-8 bytes
        tokens.add("\u2581");
        types.add(1);
        // letter pieces, shortest first, each with and without the word-start marker
        String letters = "etaoinshrdlcumwfgypbvkjxqz";
        List<String> frontier = List.of("");
        while (tokens.size() < c.vocabSize()) {
            List<String> next = new ArrayList<>();
            for (String s : frontier) {
                for (char ch : letters.toCharArray()) {
                    next.add(s + ch);
                }
            }
            for (String s : next) {
                for (String piece : new String[] {"\u2581" + s, s}) {
                    if (tokens.size() < c.vocabSize()) {
                        tokens.add(piece);
                        types.add(1);
                    }
                }
            }
            frontier = next;
        }
        float[] scores = new float[tokens.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = -i;
        }
        writer.putString("tokenizer.ggml.model", "llama");
        writer.putStrings("tokenizer.ggml.tokens", tokens.toArray(String[]::new));
        writer.putFloats("tokenizer.ggml.scores", scores);
        writer.putInt32s("tokenizer.ggml.token_type", types.stream().mapToInt(Integer::intValue).toArray());
        writer.putUInt32("tokenizer.ggml.bos_token_id", 1);
        writer.putUInt32("tokenizer.ggml.eos_token_id", 2);
        writer.putUInt32("tokenizer.ggml.unknown_token_id", 0);
        writer.putBool("tokenizer.ggml.add_bos_token", true);
    }

    /**
     * A [rows, cols] matrix in the model's weight type, or in the type {@code seriatim quantize}
     * would fall back to when rows are not a whole number of the type's blocks (K-quants).
     */
    private void matrix(String name, int rows, int cols) {
        float[] row = new float[cols];
        GgmlType type = new QuantizationPlan(this.type, false, false, false)
                .choose(name, this.type, new long[] {cols, rows}, c.layers()).type();
        BlockFormat format = BlockFormats.of(type);
        long rowBytes = format.rowBytes(cols);
        byte[] data = new byte[Math.toIntExact(rowBytes * rows)];
        MemorySegment seg = MemorySegment.ofArray(data);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < cols; i++) {
                row[i] = (float) (random.nextGaussian() * std);
            }
            format.quantize(row, 0, cols, seg, r * rowBytes);
        }
        writer.addTensor(name, type, new long[] {cols, rows}, data);
    }

    private void scale(String name, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (1 + random.nextGaussian() * 0.1);
        }
        vector(name, v);
    }

    private void bias(String name, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * std);
        }
        vector(name, v);
    }

    private void vector(String name, float[] v) {
        byte[] data = new byte[v.length * 4];
        BlockFormats.of(GgmlType.F32).quantize(v, 0, v.length, MemorySegment.ofArray(data), 0);
        writer.addTensor(name, GgmlType.F32, new long[] {v.length}, data);
    }
}
