package dev.seriatim.text.transformer;

import dev.seriatim.core.CategoricalModel;
import dev.seriatim.tensor.CausalAttention;
import dev.seriatim.tensor.Kernels;
import dev.seriatim.tensor.Parallel;
import dev.seriatim.tensor.WeightMatrix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Forward pass of a decoder-only transformer with a KV cache: llama, qwen2 and gpt2 share
 * this one code path, their differences read from {@link Architecture}.
 *
 * <p>Tokens are consumed in batches: each weight matrix is applied to a whole batch with one
 * matrix-matrix product (prefill), or one matrix-vector product for a single decode step; a call
 * of at most {@link #oneAtATimeMax} tokens gets the decode path's bits for each token.
 * All buffers live in {@link TransformerState}; a decode step allocates nothing of its own.
 */
public final class Transformer implements CategoricalModel<TransformerState> {

    /**
     * Most tokens per prefill batch: each weight is dequantized once per batch (256 gave 8-15%
     * more prompt tokens/s than 64 on a stories110M-shape model).
     */
    static final int MAX_BATCH = 256;
    /** Fewest tokens per batch {@link #defaultBatch} chooses: one whole packed strip. */
    static final int MIN_BATCH = 32;
    /**
     * The activation buffers of a batch may take this many bytes, or 1% of the weights a token
     * reads where that is more: on a 1B-shape Q4_0 file 256 tokens would keep 9 MiB, 1.4% of
     * the file, against 4.5 MiB for 128, whose prefill of 512 tokens measured the same (medians
     * of 68.9 and 69.1 tokens/s over ten alternating rounds).
     */
    static final long BATCH_BUFFER_BYTES = 8L << 20;

    private final TransformerConfig config;
    private final TransformerWeights weights;
    private final Parallel parallel;
    private final int maxLength;
    private final int batch;
    /**
     * Calls of at most this many tokens go through the decode kernels, for a model whose
     * matrices include K-quants (super-blocks of 256), {@link #ONE_AT_A_TIME_MAX} for the others.
     * Such short batches are slow: a batch dequantizes every weight once and its tiles are
     * vectorised across tokens it does not have. Where the two paths cross (1B-shape files,
     * tokens/s, the decode kernels a piece of rows at a time for all the tokens): Q4_K_M at 8
     * tokens 23.7 against 20.3 batched, at 12 24.5 against 29.5; Q4_0 at 16 43.4 against 34.8,
     * F16 38.9 against 34.5. Since the batched product reads its rows through first
     * (ARCHITECTURE.md), at 16 tokens with the paired kernels: Q4_0 54.4 against 50.3 batched, Q8_0
     * 54.4 against 42.9, F16 53.8 against 43.1; Q4_K_M at 8 23.7 against 21.8.
     */
    static final int ONE_AT_A_TIME_MAX_SUPER_BLOCKS = 8;
    /** Calls of at most this many tokens go through the decode kernels (see above). */
    static final int ONE_AT_A_TIME_MAX = 16;
    /** Batches from this many tokens split their per-token steps (norms, RoPE, residual adds) over the threads. */
    private static final int PER_TOKEN_PARALLEL_MIN = 8;
    /** Rows for the positions any state has reached so far: replaced, never changed, as states grow. */
    private volatile RopeTable rope;
    private final Object ropeLock = new Object();
    /**
     * Hidden columns per slice of a batch's SwiGLU layer, fixed for the model from its batch
     * size: slices are rounded separately, so a width that followed each call's token count
     * would make a token's result depend on how its prompt was split.
     */
    private final int hiddenSlice;
    private final float attentionScale;
    private final KvCacheType kvCache;
    /** The longest call that goes through the decode kernels, for this model's weight types. */
    private final int oneAtATimeMax;

    /**
     * @param maxLength most positions a state holds (at most the model's context length)
     */
    public Transformer(TransformerConfig config, TransformerWeights weights, Parallel parallel, int maxLength) {
        this(config, weights, parallel, maxLength, defaultBatch(config, weights.bytesReadPerToken()));
    }

    public Transformer(TransformerConfig config, TransformerWeights weights, Parallel parallel, int maxLength, int batch) {
        this(config, weights, parallel, maxLength, batch, KvCacheType.F16);
    }

    /** @param kvCache how the states this model makes keep their keys and values */
    public Transformer(TransformerConfig config, TransformerWeights weights, Parallel parallel, int maxLength,
                       KvCacheType kvCache) {
        this(config, weights, parallel, maxLength, defaultBatch(config, weights.bytesReadPerToken()), kvCache);
    }

    public Transformer(TransformerConfig config, TransformerWeights weights, Parallel parallel, int maxLength, int batch,
                       KvCacheType kvCache) {
        if (maxLength < 1 || maxLength > config.contextLength()) {
            throw new IllegalArgumentException("context length " + maxLength + " must be between 1 and the model's "
                    + config.contextLength());
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be positive, got " + batch);
        }
        this.config = config;
        this.weights = weights;
        this.parallel = parallel;
        this.maxLength = maxLength;
        this.batch = batch;
        this.kvCache = java.util.Objects.requireNonNull(kvCache, "kvCache");
        this.attentionScale = (float) (1.0 / Math.sqrt(config.headDim()));
        this.rope = RopeTable.of(config, weights.ropeFreqFactors());
        this.hiddenSlice = WeightMatrix.hiddenSliceColumns(batch, config.ffnDim());
        this.oneAtATimeMax = hasSuperBlocks(weights) ? ONE_AT_A_TIME_MAX_SUPER_BLOCKS : ONE_AT_A_TIME_MAX;
    }

    /**
     * Whether any of the blocks' matrices is stored in super-blocks of 256 (the K-quants). The
     * output projection does not count: files quantized to Q4_0 often keep it in Q6_K, and a call
     * applies it to its last token only.
     */
    private static boolean hasSuperBlocks(TransformerWeights weights) {
        List<WeightMatrix> matrices = new ArrayList<>();
        for (LayerWeights w : weights.layers()) {
            Collections.addAll(matrices, w.wqkv(), w.wq(), w.wk(), w.wv(), w.wo(), w.wGate(), w.wUp(),
                    w.wDown());
        }
        return matrices.stream().anyMatch(m -> m != null && m.format().type().blockSize() == 256);
    }

    /**
     * The longest call ({@link #append}, {@link #appendScoring}) whose tokens go through the
     * decode kernels, each with the bits it gets alone; longer calls go in batches.
     */
    public int oneAtATimeMax() {
        return oneAtATimeMax;
    }

    public TransformerConfig config() {
        return config;
    }

    public TransformerWeights weights() {
        return weights;
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    /** How the states this model makes keep their keys and values. */
    public KvCacheType kvCache() {
        return kvCache;
    }

    @Override
    public TransformerState newState() {
        return new TransformerState(config, maxLength, batch, kvCache);
    }

    @Override
    public TransformerState copyState(TransformerState state) {
        return state.copy();
    }

    @Override
    public void reset(TransformerState state) {
        state.reset();
    }

    @Override
    public boolean canTruncate() {
        return true;
    }

    /**
     * Tokens per prefill batch for a model whose tokens each read {@code weightBytes} of
     * weights: {@link #MAX_BATCH}, halved (down to {@link #MIN_BATCH}) while the batch's
     * activation buffers would take more than {@link #BATCH_BUFFER_BYTES} or 1% of the weights,
     * whichever is more.
     */
    static int defaultBatch(TransformerConfig config, long weightBytes) {
        long budget = Math.max(BATCH_BUFFER_BYTES, weightBytes / 100);
        long perToken = TransformerState.floatsPerBatchToken(config) * Float.BYTES;
        int batch = MAX_BATCH;
        while (batch > MIN_BATCH && batch * perToken > budget) {
            batch /= 2;
        }
        return batch;
    }

    @Override
    public void truncate(TransformerState state, int length) {
        if (length < 0 || length > state.length) {
            throw new IllegalArgumentException("cannot truncate a state of " + state.length + " positions to " + length);
        }
        state.length = length;
    }

    @Override
    public int length(TransformerState state) {
        return state.length;
    }

    @Override
    public void reserve(TransformerState state, int length) {
        state.reserveExactly(Math.min(length, state.capacity));
    }

    @Override
    public float[] append(TransformerState s, int[] tokens, int from, int count) {
        checkTokens(s, tokens, from, count);
        s.reserve(s.length + count);
        boolean batched = count > oneAtATimeMax;
        for (int done = 0; done < count; ) {
            int n = Math.min(s.batch, count - done);
            boolean last = done + n == count;
            int lastRow = layers(s, tokens, from + done, n, last, batched);
            done += n;
            if (last) {
                logits(s, lastRow, 1, s.lastLogits, false);
            }
        }
        return s.lastLogits;
    }

    @Override
    public void appendScoring(TransformerState s, int[] tokens, int from, int count, LogitsSink sink) {
        checkTokens(s, tokens, from, count);
        s.reserve(s.length + count);
        int vocab = config.vocabSize();
        boolean batched = count > oneAtATimeMax;
        for (int done = 0; done < count; ) {
            int n = Math.min(s.batch, count - done);
            layers(s, tokens, from + done, n, false, batched);
            float[] rows = s.scoringLogits();
            // the output projection goes a slice of the batch at a time, so the logits rows stay
            // small next to a large vocabulary
            for (int first = 0; first < n; first += TransformerState.LOGITS_ROWS) {
                int m = Math.min(TransformerState.LOGITS_ROWS, n - first);
                logits(s, first, m, rows, batched);
                for (int i = 0; i < m; i++) {
                    sink.accept(from + done + first + i, rows, i * vocab);
                }
                if (done + first + m == count) {
                    System.arraycopy(rows, (m - 1) * vocab, s.lastLogits, 0, vocab);
                }
            }
            done += n;
        }
    }

    private void checkTokens(TransformerState s, int[] tokens, int from, int count) {
        if (from < 0 || count < 0 || from + count > tokens.length) {
            throw new IndexOutOfBoundsException("tokens [" + from + ", " + (from + count) + ") of " + tokens.length);
        }
        if (s.length + count > s.capacity) {
            throw new IllegalStateException("context full: " + s.length + " + " + count + " tokens exceed the context of "
                    + s.capacity);
        }
        for (int i = from; i < from + count; i++) {
            if (tokens[i] < 0 || tokens[i] >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + tokens[i] + " is outside the vocabulary [0, "
                        + config.vocabSize() + ")");
            }
        }
    }

    /**
     * Runs n tokens at positions length .. length+n-1 through every block; leaves the residual in
     * x and returns the row of x that holds the last token's. With {@code lastOnly}, only the
     * last token's residual is wanted (its logits end a prompt): the last block then stores every
     * token's key and value but carries on with the last token alone, which saves nearly a
     * block's products (a sixteenth of a Llama-3.2-1B-shape prefill), and returns row 0. That
     * last token's last block goes through the decode kernels: it reaches only the logits.
     *
     * <p>A batch ({@code batched}) goes through the matrix-matrix products, even a batch of one
     * token at the end of a long call, so that a token's bits do not depend on where the call's
     * batches fall. Otherwise the n tokens each get the decode path's bits, as n single steps
     * would: the products go through the matrix-vector kernels a piece of rows at a time for all n
     * (the tokens after the first read the piece from cache).
     */
    private int layers(TransformerState s, int[] tokens, int from, int n, boolean lastOnly, boolean batched) {
        TransformerConfig c = config;
        int dim = c.dim();
        int pos0 = s.length;
        s.reserveRows(n);
        if (!batched) {
            s.reserveSteppedRows(n);
        }
        for (int i = 0; i < n; i++) {
            weights.tokenEmbedding().row(tokens[from + i], s.x, i * dim);
            if (weights.positionEmbedding() != null) {
                weights.positionEmbedding().row(pos0 + i, s.xb, 0);
                Kernels.add(s.x, i * dim, s.xb, 0, dim);
            }
        }
        RopeTable rope = ropeCovering(pos0 + n);
        for (int l = 0; l < c.layers(); l++) {
            LayerWeights w = weights.layers().get(l);
            float[] keyCache = s.keyCache[l];
            float[] valueCache = s.valueCache[l];
            short[] keyHalves = s.keyHalves[l];
            short[] valueHalves = s.valueHalves[l];
            boolean halves = s.kvType == KvCacheType.F16;
            norm(s.xb, s.x, w.attnNorm(), w.attnNormBias(), n);
            projectQkv(s, w, n, batched);
            perToken(n, (t0, t1) -> {
                for (int i = t0; i < t1; i++) {
                    rotate(s, rope, i, pos0 + i);
                    if (halves) {
                        boolean finite = CausalAttention.storeKey(keyHalves, pos0 + i, s.k, i * c.kvDim(), c.kvDim())
                                & CausalAttention.storeValue(valueHalves, pos0 + i, s.v, i * c.kvDim(), c.kvDim());
                        if (!finite) {
                            s.nonFiniteHalves = true; // published by the end of the parallel call
                        }
                    } else {
                        CausalAttention.storeKey(keyCache, pos0 + i, s.k, i * c.kvDim(), c.kvDim());
                        System.arraycopy(s.v, i * c.kvDim(), valueCache, (pos0 + i) * c.kvDim(), c.kvDim());
                    }
                }
            });
            if (lastOnly && l == c.layers() - 1) {
                // from here on a row's results reach nothing but its own residual
                System.arraycopy(s.q, (n - 1) * c.qDim(), s.q, 0, c.qDim());
                System.arraycopy(s.x, (n - 1) * dim, s.x, 0, dim);
                attention(s, l, pos0 + n - 1, 1);
                finishBlock(s, w, 1, false);
                s.length += n;
                return 0;
            }
            attention(s, l, pos0, n);
            finishBlock(s, w, n, batched);
        }
        s.length += n;
        return n - 1;
    }

    /** A block after its attention (head outputs in xb): output projection, norm, MLP, each into the residual. */
    private void finishBlock(TransformerState s, LayerWeights w, int n, boolean batched) {
        TransformerConfig c = config;
        projectIntoResidual(w.wo(), s.xb, w.bo(), s, n, batched);

        norm(s.xb, s.x, w.ffnNorm(), w.ffnNormBias(), n);
        int ffn = c.ffnDim();
        if (c.architecture().ffn() == Architecture.Ffn.SWIGLU && batched) {
            // the hidden layer goes from the gated product to the down projection packed, a slice at a time
            WeightMatrix.swigluAdding(s.xb, n, w.wGate(), w.wUp(), w.wDown(), w.bDown(), s.x, hiddenSlice,
                    parallel);
            return;
        }
        if (c.architecture().ffn() == Architecture.Ffn.SWIGLU) {
            WeightMatrix.matvecSharedInputTokens(s.xb, n, new WeightMatrix[] {w.wGate(), w.wUp()},
                    new float[][] {s.hb, s.hb2}, parallel);
            for (int i = 0; i < n; i++) {
                Kernels.swiglu(s.hb, s.hb2, i * ffn, ffn);
            }
        } else {
            project(w.wUp(), s.xb, n, s.hb, batched);
            addBias(s.hb, w.bUp(), n);
            if (batched) {
                perToken(n, (t0, t1) -> Kernels.gelu(s.hb, t0 * ffn, (t1 - t0) * ffn));
            } else {
                for (int i = 0; i < n; i++) {
                    Kernels.gelu(s.hb, i * ffn, ffn); // each token's as a single step makes it
                }
            }
        }
        projectIntoResidual(w.wDown(), s.hb, w.bDown(), s, n, batched);
    }

    /**
     * Final norm and output projection for tokens [first, first+count) of the batch, into rows 0..
     * of out: as a batch, or through the decode kernels.
     */
    private void logits(TransformerState s, int first, int count, float[] out, boolean batched) {
        int dim = config.dim();
        for (int i = 0; i < count; i++) {
            normRow(s.xb, i * dim, s.x, (first + i) * dim, weights.outputNorm(), weights.outputNormBias());
        }
        project(weights.output(), s.xb, count, out, batched);
    }

    private void projectQkv(TransformerState s, LayerWeights w, int n, boolean batched) {
        TransformerConfig c = config;
        if (w.wqkv() != null) {
            int width = c.qDim() + 2 * c.kvDim();
            project(w.wqkv(), s.xb, n, s.qkv, batched);
            addBias(s.qkv, w.bqkv(), n);
            for (int i = 0; i < n; i++) {
                System.arraycopy(s.qkv, i * width, s.q, i * c.qDim(), c.qDim());
                System.arraycopy(s.qkv, i * width + c.qDim(), s.k, i * c.kvDim(), c.kvDim());
                System.arraycopy(s.qkv, i * width + c.qDim() + c.kvDim(), s.v, i * c.kvDim(), c.kvDim());
            }
        } else {
            WeightMatrix[] qkv = {w.wq(), w.wk(), w.wv()};
            float[][] out = {s.q, s.k, s.v};
            if (batched) { // one packing of the batch for the three products
                WeightMatrix.matmulSharedInput(s.xb, n, qkv, out, parallel);
            } else { // one hand-off to the workers for the three products
                WeightMatrix.matvecSharedInputTokens(s.xb, n, qkv, out, parallel);
            }
            addBias(s.q, w.bq(), n);
            addBias(s.k, w.bk(), n);
            addBias(s.v, w.bv(), n);
        }
    }

    /**
     * A rotary table with rows for positions [0, positions): the current one, or a longer one
     * made once (doubling, like the cache, up to the context) for whichever state first needs it.
     */
    private RopeTable ropeCovering(int positions) {
        RopeTable r = rope;
        if (r.positions() < positions && config.rope() != Architecture.Rope.NONE) {
            synchronized (ropeLock) {
                r = rope;
                if (r.positions() < positions) {
                    r = r.covering((int) Math.min(maxLength, Math.max(positions, 2L * r.positions())));
                    rope = r;
                }
            }
        }
        return r;
    }

    private void rotate(TransformerState s, RopeTable rope, int i, int pos) {
        TransformerConfig c = config;
        switch (c.rope()) {
            case INTERLEAVED -> {
                Kernels.ropeInterleaved(s.q, i * c.qDim(), c.heads(), c.headDim(), rope.cos(pos), rope.sin(pos));
                Kernels.ropeInterleaved(s.k, i * c.kvDim(), c.kvHeads(), c.headDim(), rope.cos(pos), rope.sin(pos));
            }
            case SPLIT_HALF -> {
                Kernels.ropeSplitHalf(s.q, i * c.qDim(), c.heads(), c.headDim(), rope.cos(pos), rope.sin(pos));
                Kernels.ropeSplitHalf(s.k, i * c.kvDim(), c.kvHeads(), c.headDim(), rope.cos(pos), rope.sin(pos));
            }
            case NONE -> {
            }
        }
    }

    /**
     * Causal attention of the batch's queries over the cache; writes head outputs to xb [n, qDim].
     * Each query's output has the bits it gets alone (CausalAttention keeps every chain however
     * the queries are batched), so tokens taken one at a time share this call.
     */
    private void attention(TransformerState s, int layer, int pos0, int n) {
        TransformerConfig c = config;
        if (s.kvType == KvCacheType.F16) {
            CausalAttention.attend(s.q, c.qDim(), s.keyHalves[layer], s.valueHalves[layer], !s.nonFiniteHalves,
                    c.kvDim(), c.heads(), c.kvHeads(), c.headDim(), pos0, n, attentionScale, s.xb, parallel);
            return;
        }
        CausalAttention.attend(s.q, c.qDim(), s.keyCache[layer], s.valueCache[layer], c.kvDim(), c.heads(), c.kvHeads(),
                c.headDim(), pos0, n, attentionScale, s.xb, parallel);
    }

    private void norm(float[] out, float[] in, float[] weight, float[] bias, int n) {
        int dim = config.dim();
        perToken(n, (t0, t1) -> {
            for (int i = t0; i < t1; i++) {
                normRow(out, i * dim, in, i * dim, weight, bias);
            }
        });
    }

    /**
     * Runs a per-token step over tokens [0, n), split over the threads when the batch is long
     * enough to pay for the hand-off (a serial step is idle time for every other thread). Each
     * token's values depend only on that token, so the split changes nothing.
     */
    private void perToken(int n, Parallel.RangeBody body) {
        if (n < PER_TOKEN_PARALLEL_MIN) {
            body.run(0, n);
        } else {
            parallel.forRange(n, body);
        }
    }

    private void normRow(float[] out, int outOff, float[] in, int inOff, float[] weight, float[] bias) {
        if (config.architecture().norm() == Architecture.Norm.RMS) {
            Kernels.rmsNorm(out, outOff, in, inOff, weight, config.dim(), config.normEps());
        } else {
            Kernels.layerNorm(out, outOff, in, inOff, weight, bias, config.dim(), config.normEps());
        }
    }

    /**
     * out[n, rows] = in[n, cols] times the matrix transposed: one product for the whole batch, or
     * the decode kernels' product of each token.
     */
    private void project(WeightMatrix m, float[] in, int n, float[] out, boolean batched) {
        if (batched) {
            m.matmul(in, n, out, parallel);
        } else {
            m.matvecTokens(in, n, out, parallel);
        }
    }

    /**
     * x += in times the matrix transposed, plus the bias: a batch adds the product into the
     * residual stream in place (no [n, dim] array in between); tokens taken one at a time go
     * through xb2.
     */
    private void projectIntoResidual(WeightMatrix m, float[] in, float[] bias, TransformerState s, int n,
                                     boolean batched) {
        if (batched) {
            m.matmulAdding(in, n, bias, s.x, parallel);
            return;
        }
        int dim = config.dim();
        m.matvecTokens(in, n, s.xb2, parallel);
        addBias(s.xb2, bias, n);
        for (int i = 0; i < n; i++) {
            Kernels.add(s.x, i * dim, s.xb2, i * dim, dim);
        }
    }

    private static void addBias(float[] rows, float[] bias, int n) {
        if (bias == null) {
            return;
        }
        for (int i = 0; i < n; i++) {
            Kernels.add(rows, i * bias.length, bias, 0, bias.length);
        }
    }
}
