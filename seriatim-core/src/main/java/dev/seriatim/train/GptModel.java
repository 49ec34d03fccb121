package dev.seriatim.train;

import dev.seriatim.autograd.Activations;
import dev.seriatim.autograd.CausalSelfAttention;
import dev.seriatim.autograd.CrossEntropy;
import dev.seriatim.autograd.Elementwise;
import dev.seriatim.autograd.Embedding;
import dev.seriatim.autograd.MatMul;
import dev.seriatim.autograd.Normalization;
import dev.seriatim.autograd.Rope;
import dev.seriatim.autograd.RopeAngles;
import dev.seriatim.autograd.Tape;
import dev.seriatim.autograd.Tensor;
import dev.seriatim.nn.Init;
import dev.seriatim.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A llama-style GPT on the autograd tape. Parameters carry their GGUF tensor names and shapes
 * ([out, in] for matrices), so the exported file is the trained arrays written as they are.
 */
public final class GptModel {

    private final GptConfig config;
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final RopeAngles angles;

    private GptModel(GptConfig config) {
        this.config = config;
        this.angles = RopeAngles.of(config.ropeTheta(), config.headDim(), config.context());
    }

    /** A model with GPT-2 / nanoGPT initial values drawn from the seed. */
    public static GptModel initialized(GptConfig c, long seed) {
        GptModel model = new GptModel(c);
        SplittableRandom random = new SplittableRandom(seed);
        double residual = Init.residualStd(c.layers());
        int d = c.dim();
        model.matrix("token_embd.weight", c.vocabSize(), d, Init.normal(random, c.vocabSize() * d, Init.STD));
        for (int l = 0; l < c.layers(); l++) {
            String p = "blk." + l + ".";
            model.vector(p + "attn_norm.weight", Init.ones(d));
            model.matrix(p + "attn_q.weight", d, d, Init.normal(random, d * d, Init.STD));
            model.matrix(p + "attn_k.weight", d, d, Init.normal(random, d * d, Init.STD));
            model.matrix(p + "attn_v.weight", d, d, Init.normal(random, d * d, Init.STD));
            model.matrix(p + "attn_output.weight", d, d, Init.normal(random, d * d, residual));
            model.vector(p + "ffn_norm.weight", Init.ones(d));
            model.matrix(p + "ffn_gate.weight", c.ffnDim(), d, Init.normal(random, c.ffnDim() * d, Init.STD));
            model.matrix(p + "ffn_up.weight", c.ffnDim(), d, Init.normal(random, c.ffnDim() * d, Init.STD));
            model.matrix(p + "ffn_down.weight", d, c.ffnDim(), Init.normal(random, d * c.ffnDim(), residual));
        }
        model.vector("output_norm.weight", Init.ones(d));
        if (!c.tiedEmbeddings()) {
            model.matrix("output.weight", c.vocabSize(), d, Init.normal(random, c.vocabSize() * d, Init.STD));
        }
        return model;
    }

    /** The parameters in a fixed order (the order of {@link #initialized}): embedding, blocks, final norm, output. */
    public List<Parameter> parameters() {
        return new ArrayList<>(parameters.values());
    }

    public Parameter parameter(String name) {
        Parameter p = parameters.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return p;
    }

    public GptConfig config() {
        return config;
    }

    public long parameterCount() {
        long n = 0;
        for (Parameter p : parameters.values()) {
            n += p.tensor().size();
        }
        return n;
    }

    /** Logits [batch * seqLen, vocab] for batch sequences of seqLen tokens each (row-major). */
    public Tensor logits(Tape tape, int[] tokens, int batch, int seqLen) {
        GptConfig c = config;
        if (tokens.length != batch * seqLen || seqLen > c.context()) {
            throw new IllegalArgumentException(tokens.length + " tokens are not " + batch + " sequences of "
                    + seqLen + " (context " + c.context() + ")");
        }
        Tensor x = Embedding.lookup(tape, t("token_embd.weight"), tokens);
        for (int l = 0; l < c.layers(); l++) {
            String p = "blk." + l + ".";
            Tensor h = Normalization.rmsNorm(tape, x, t(p + "attn_norm.weight"), c.normEps());
            Tensor q = Rope.interleaved(tape, MatMul.linear(tape, h, t(p + "attn_q.weight")), seqLen, c.heads(), angles);
            Tensor k = Rope.interleaved(tape, MatMul.linear(tape, h, t(p + "attn_k.weight")), seqLen, c.heads(), angles);
            Tensor v = MatMul.linear(tape, h, t(p + "attn_v.weight"));
            Tensor a = CausalSelfAttention.apply(tape, q, k, v, batch, seqLen, c.heads());
            x = Elementwise.add(tape, x, MatMul.linear(tape, a, t(p + "attn_output.weight")));
            h = Normalization.rmsNorm(tape, x, t(p + "ffn_norm.weight"), c.normEps());
            Tensor gate = MatMul.linear(tape, h, t(p + "ffn_gate.weight"));
            Tensor up = MatMul.linear(tape, h, t(p + "ffn_up.weight"));
            Tensor ffn = MatMul.linear(tape, Activations.swiglu(tape, gate, up), t(p + "ffn_down.weight"));
            x = Elementwise.add(tape, x, ffn);
        }
        Tensor h = Normalization.rmsNorm(tape, x, t("output_norm.weight"), c.normEps());
        return MatMul.linear(tape, h, t(c.tiedEmbeddings() ? "token_embd.weight" : "output.weight"));
    }

    /** Mean cross-entropy (nats per token) of predicting targets[i] from inputs up to i, per sequence. */
    public Tensor loss(Tape tape, int[] inputs, int[] targets, int batch, int seqLen) {
        return CrossEntropy.mean(tape, logits(tape, inputs, batch, seqLen), targets);
    }

    private Tensor t(String name) {
        return parameters.get(name).tensor();
    }

    private void matrix(String name, int rows, int cols, float[] values) {
        parameters.put(name, new Parameter(name, Tensor.parameter(values, rows, cols), true));
    }

    private void vector(String name, float[] values) {
        parameters.put(name, new Parameter(name, Tensor.parameter(values, values.length), false));
    }
}
