package dev.seriatim.text.transformer;

import dev.seriatim.tensor.CausalAttention;

/**
 * Everything a forward pass writes: the KV cache and every activation buffer, so that a decode
 * step allocates nothing. Activation buffers hold up to {@code batch} tokens side by side
 * (row-major, one row per token) for batched prefill. The KV cache and the attention weights
 * grow with the positions actually used (doubling, up to the capacity) rather than being
 * allocated for the whole context up front: a state for a 4,096-token context of a 1B model
 * would otherwise zero and keep resident 256 MiB before the first token.
 */
public final class TransformerState {

    /** Positions whose logits a scoring pass computes at a time. */
    static final int LOGITS_ROWS = 64;

    /** Positions the cache holds when first used. */
    static final int INITIAL_POSITIONS = 256;

    final int batch;
    final int capacity;
    private final int kvDim;
    int length;
    /** Positions the cache arrays have room for now: at most capacity. */
    int allocated;

    /**
     * Per layer: keys of every consumed position in {@link CausalAttention}'s strips (room for
     * {@code allocated} positions rounded up to a whole strip), and values as [allocated, kvDim].
     */
    final float[][] keyCache;
    final float[][] valueCache;

    final float[] x;      // [batch, dim] residual stream
    final float[] xb;     // [batch, max(dim, qDim)] normed input / attention output
    final float[] xb2;    // [batch, dim] projection output
    final float[] q;      // [batch, qDim]
    final float[] k;      // [batch, kvDim]
    final float[] v;      // [batch, kvDim]
    final float[] qkv;    // [batch, qDim + 2 kvDim] fused projection output, or empty
    final float[] hb;     // [batch, ffnDim]
    final float[] hb2;    // [batch, ffnDim]
    private float[] logits; // [LOGITS_ROWS, vocab] for scoring every position; allocated on first use
    private final int vocab;
    final float[] lastLogits; // [vocab] handed to callers of append

    TransformerState(TransformerConfig c, int capacity, int batch) {
        this.batch = batch;
        this.capacity = capacity;
        this.kvDim = c.kvDim();
        this.allocated = Math.min(capacity, INITIAL_POSITIONS);
        keyCache = new float[c.layers()][keyLength(allocated)];
        valueCache = new float[c.layers()][Math.multiplyExact(allocated, kvDim)];
        x = new float[batch * c.dim()];
        xb = new float[batch * Math.max(c.dim(), c.qDim())];
        xb2 = new float[batch * c.dim()];
        q = new float[batch * c.qDim()];
        k = new float[batch * kvDim];
        v = new float[batch * kvDim];
        qkv = c.architecture() == Architecture.GPT2 ? new float[batch * (c.qDim() + 2 * kvDim)] : new float[0];
        hb = new float[batch * c.ffnDim()];
        hb2 = new float[batch * c.ffnDim()];
        vocab = c.vocabSize();
        lastLogits = new float[c.vocabSize()];
    }

    private TransformerState(TransformerState o) {
        batch = o.batch;
        capacity = o.capacity;
        kvDim = o.kvDim;
        length = o.length;
        allocated = o.allocated;
        keyCache = new float[o.keyCache.length][];
        valueCache = new float[o.valueCache.length][];
        for (int l = 0; l < keyCache.length; l++) {
            keyCache[l] = o.keyCache[l].clone();
            valueCache[l] = o.valueCache[l].clone();
        }
        x = o.x.clone();
        xb = o.xb.clone();
        xb2 = o.xb2.clone();
        q = o.q.clone();
        k = o.k.clone();
        v = o.v.clone();
        qkv = o.qkv.clone();
        hb = o.hb.clone();
        hb2 = o.hb2.clone();
        vocab = o.vocab;
        lastLogits = o.lastLogits.clone();
    }

    private int keyLength(int positions) {
        return Math.toIntExact(CausalAttention.keyCacheLength(positions, kvDim));
    }

    /** Makes room in the cache for positions [0, positions); positions must not exceed the capacity. */
    void reserve(int positions) {
        if (positions <= allocated) {
            return;
        }
        int grown = (int) Math.min(capacity, Math.max(positions, 2L * allocated));
        for (int l = 0; l < keyCache.length; l++) {
            keyCache[l] = java.util.Arrays.copyOf(keyCache[l], keyLength(grown));
            valueCache[l] = java.util.Arrays.copyOf(valueCache[l], Math.multiplyExact(grown, kvDim));
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
