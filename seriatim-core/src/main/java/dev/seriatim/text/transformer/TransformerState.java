package dev.seriatim.text.transformer;

import dev.seriatim.tensor.CausalAttention;

/**
 * Everything a forward pass writes: the KV cache and every activation buffer, so that a decode
 * step allocates nothing once the state has seen its longest call. Activation buffers hold
 * tokens side by side (row-major, one row per token) for batched prefill. Both grow with what is
 * actually used (doubling, up to the capacity or the batch) rather than being allocated for the
 * worst case up front: a state for a 4,096-token context of a 1B model would otherwise zero and
 * keep resident 256 MiB of cache before the first token, and 128-token activation buffers 3.5 MiB
 * that generation one token at a time never touches (a batch's FFN hidden layer and projection
 * outputs do not live here at all: see {@code WeightMatrix.swigluAdding} and {@code matmulAdding}).
 * The first allocation is sized by the first
 * call, so a prompt does not leave a smaller copy behind as garbage; a caller that knows how
 * long the state will get (a generator: prompt plus token budget) reserves the cache at exactly
 * that length, where doubling could keep up to twice the room resident.
 */
public final class TransformerState {

    /** Positions whose logits a scoring pass computes at a time. */
    static final int LOGITS_ROWS = 64;

    /** Fewest positions the cache is allocated for. */
    static final int INITIAL_POSITIONS = 256;

    final int batch;
    final int capacity;
    private final TransformerConfig config;
    private final int kvDim;
    int length;
    /** Positions the cache arrays have room for now: at most capacity. */
    int allocated;
    /** Tokens the activation buffers have room for now: at most batch. */
    int rows;

    /**
     * Per layer: keys of every consumed position in {@link CausalAttention}'s strips (room for
     * {@code allocated} positions rounded up to a whole strip), and values as [allocated, kvDim].
     */
    final float[][] keyCache;
    final float[][] valueCache;
    /** The same as halves, in place of the floats (which then stay empty), for {@link KvCacheType#F16}. */
    final short[][] keyHalves;
    final short[][] valueHalves;
    final KvCacheType kvType;
    /**
     * Whether a key or value stored as a half since the last {@link #reset} was an infinity or
     * NaN; until one is, attention over the halves need not look for them.
     */
    boolean nonFiniteHalves;

    float[] x;      // [rows, dim] residual stream
    float[] xb;     // [rows, max(dim, qDim)] normed input / attention output
    float[] xb2;    // [min(rows, 1), dim] a single token's projection output; more rows for a call
                    // whose tokens go through the decode kernels (reserveSteppedRows)
    float[] q;      // [rows, qDim]
    float[] k;      // [rows, kvDim]
    float[] v;      // [rows, kvDim]
    float[] qkv;    // [rows, qDim + 2 kvDim] fused projection output, or empty
    float[] hb;     // [rows, ffnDim] for GELU; [min(rows, 1), ffnDim] for SwiGLU, or as xb2
    float[] hb2;    // [min(rows, 1), ffnDim] for SwiGLU, or as xb2; empty for GELU
    private float[] logits; // [LOGITS_ROWS, vocab] for scoring every position; allocated on first use
    private final int vocab;
    final float[] lastLogits; // [vocab] handed to callers of append

    TransformerState(TransformerConfig c, int capacity, int batch, KvCacheType kvType) {
        this.batch = batch;
        this.capacity = capacity;
        this.config = c;
        this.kvDim = c.kvDim();
        this.kvType = kvType;
        keyCache = new float[c.layers()][0];
        valueCache = new float[c.layers()][0];
        keyHalves = new short[c.layers()][0];
        valueHalves = new short[c.layers()][0];
        allocateRows(0);
        vocab = c.vocabSize();
        lastLogits = new float[c.vocabSize()];
    }

    private TransformerState(TransformerState o) {
        batch = o.batch;
        capacity = o.capacity;
        config = o.config;
        kvDim = o.kvDim;
        length = o.length;
        allocated = o.allocated;
        kvType = o.kvType;
        nonFiniteHalves = o.nonFiniteHalves;
        keyCache = new float[o.keyCache.length][];
        valueCache = new float[o.valueCache.length][];
        keyHalves = new short[o.keyHalves.length][];
        valueHalves = new short[o.valueHalves.length][];
        for (int l = 0; l < keyCache.length; l++) {
            keyCache[l] = o.keyCache[l].clone();
            valueCache[l] = o.valueCache[l].clone();
            keyHalves[l] = o.keyHalves[l].clone();
            valueHalves[l] = o.valueHalves[l].clone();
        }
        // activations hold nothing between calls: a copy starts without them
        allocateRows(0);
        vocab = o.vocab;
        lastLogits = o.lastLogits.clone();
    }

    /**
     * Floats a prefill batch keeps per token: the buffers {@link #allocateRows} sizes, and the
     * packed copy of a product's input that {@code PackedMatmul} keeps for the widest input
     * it packs. A SwiGLU hidden layer is left out (it goes in slices of bounded size), and so is
     * the per-thread scratch of a chunk of rows (partial sums and dequantized weights: about 300
     * KiB per worker at 128 tokens).
     */
    static long floatsPerBatchToken(TransformerConfig c) {
        boolean swiglu = c.architecture().ffn() == Architecture.Ffn.SWIGLU;
        boolean fusedQkv = c.architecture() == Architecture.GPT2;
        long rows = c.dim() + Math.max(c.dim(), c.qDim()) + c.qDim() + 2L * c.kvDim()
                + (fusedQkv ? c.qDim() + 2L * c.kvDim() : 0) + (swiglu ? 0 : c.ffnDim());
        long packed = Math.max(Math.max(c.dim(), c.qDim()), swiglu ? 0 : c.ffnDim());
        return rows + packed;
    }

    private void allocateRows(int n) {
        TransformerConfig c = config;
        rows = n;
        x = new float[n * c.dim()];
        xb = new float[n * Math.max(c.dim(), c.qDim())];
        xb2 = new float[Math.min(n, 1) * c.dim()]; // a batch adds its projections into x in place
        q = new float[n * c.qDim()];
        k = new float[n * kvDim];
        v = new float[n * kvDim];
        qkv = c.architecture() == Architecture.GPT2 ? new float[n * (c.qDim() + 2 * kvDim)] : new float[0];
        // a SwiGLU batch keeps its hidden layer packed (WeightMatrix.swigluAdding): only a single
        // token's goes through hb and hb2; GELU's goes through hb for the whole batch
        boolean swiglu = c.architecture().ffn() == Architecture.Ffn.SWIGLU;
        hb = new float[(swiglu ? Math.min(n, 1) : n) * c.ffnDim()];
        hb2 = new float[(swiglu ? Math.min(n, 1) : 0) * c.ffnDim()];
    }

    /**
     * Makes xb2, hb and hb2 hold n tokens, as a call that takes its tokens one at a time through
     * the decode kernels needs (after {@link #reserveRows}, which may have shrunk them to one).
     */
    void reserveSteppedRows(int n) {
        TransformerConfig c = config;
        if (xb2.length < n * c.dim()) {
            xb2 = new float[n * c.dim()];
        }
        if (c.architecture().ffn() == Architecture.Ffn.SWIGLU && hb.length < n * c.ffnDim()) {
            hb = new float[n * c.ffnDim()];
            hb2 = new float[n * c.ffnDim()];
        }
    }

    /** Makes the activation buffers hold at least {@code n} tokens; n must not exceed the batch. */
    void reserveRows(int n) {
        if (n > batch) {
            throw new IllegalArgumentException(n + " tokens exceed the batch of " + batch);
        }
        if (n > rows) {
            allocateRows((int) Math.min(batch, Math.max(n, 2L * rows)));
        }
    }

    private int keyLength(int positions) {
        return Math.toIntExact(CausalAttention.keyCacheLength(positions, kvDim));
    }

    /**
     * Makes room in the cache for positions [0, positions), growing by doubling (at least to
     * {@link #INITIAL_POSITIONS}) so that appending one token at a time copies the cache only
     * a logarithmic number of times; positions must not exceed the capacity.
     */
    void reserve(int positions) {
        if (positions > allocated) {
            resize((int) Math.min(capacity, Math.max(Math.max(positions, INITIAL_POSITIONS), 2L * allocated)));
        }
    }

    /** Makes room for exactly positions [0, positions) when there is less: a caller that knows its length. */
    void reserveExactly(int positions) {
        if (positions > allocated) {
            resize(positions);
        }
    }

    private void resize(int grown) {
        for (int l = 0; l < keyCache.length; l++) {
            if (kvType == KvCacheType.F16) {
                keyHalves[l] = java.util.Arrays.copyOf(keyHalves[l], keyLength(grown));
                valueHalves[l] = java.util.Arrays.copyOf(valueHalves[l], Math.multiplyExact(grown, kvDim));
            } else {
                keyCache[l] = java.util.Arrays.copyOf(keyCache[l], keyLength(grown));
                valueCache[l] = java.util.Arrays.copyOf(valueCache[l], Math.multiplyExact(grown, kvDim));
            }
        }
        allocated = grown;
    }

    /**
     * Logits rows for up to {@link #LOGITS_ROWS} positions, needed only when every position is
     * scored: generation reads just the last row (straight into lastLogits), and 64 rows over a
     * 128k vocabulary would otherwise keep 32 MiB resident for nothing.
     */
    float[] scoringLogits() {
        if (logits == null) {
            logits = new float[Math.multiplyExact(Math.min(batch, LOGITS_ROWS), vocab)];
        }
        return logits;
    }

    /** Positions consumed so far. */
    public int length() {
        return length;
    }

    /** Most positions this state can hold. */
    public int capacity() {
        return capacity;
    }

    /** Forgets everything consumed (the cache is overwritten as positions are reused). */
    public void reset() {
        length = 0;
        nonFiniteHalves = false; // what a state holds past its length never counts toward a result
    }

    /**
     * Forgets every position from {@code newLength} on, keeping the cache of those before: a
     * chat session uses it to drop a tail the next prompt does not share.
     */
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("cannot truncate " + length + " positions to " + newLength);
        }
        length = newLength;
    }

    TransformerState copy() {
        return new TransformerState(this);
    }
}
