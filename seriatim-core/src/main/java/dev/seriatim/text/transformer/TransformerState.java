package dev.seriatim.text.transformer;

/**
 * Everything a forward pass writes: the KV cache and every activation buffer, allocated once
 * so that a decode step allocates nothing. Activation buffers hold up to {@code batch} tokens
 * side by side (row-major, one row per token) for batched prefill.
 */
public final class TransformerState {

    final int batch;
    final int capacity;
    int length;

    /** Per layer [capacity, kvDim]: keys and values of every consumed position. */
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
    final float[] att;    // [batch, heads, capacity] attention weights
    final float[] logits; // [batch, vocab]
    final float[] lastLogits; // [vocab] handed to callers of append

    TransformerState(TransformerConfig c, int capacity, int batch) {
        this.batch = batch;
        this.capacity = capacity;
        int kvDim = c.kvDim();
        keyCache = new float[c.layers()][Math.multiplyExact(capacity, kvDim)];
        valueCache = new float[c.layers()][Math.multiplyExact(capacity, kvDim)];
        x = new float[batch * c.dim()];
        xb = new float[batch * Math.max(c.dim(), c.qDim())];
        xb2 = new float[batch * c.dim()];
        q = new float[batch * c.qDim()];
        k = new float[batch * kvDim];
        v = new float[batch * kvDim];
        qkv = c.architecture() == Architecture.GPT2 ? new float[batch * (c.qDim() + 2 * kvDim)] : new float[0];
        hb = new float[batch * c.ffnDim()];
        hb2 = new float[batch * c.ffnDim()];
        att = new float[Math.multiplyExact(batch * c.heads(), capacity)];
        logits = new float[Math.multiplyExact(batch, c.vocabSize())];
        lastLogits = new float[c.vocabSize()];
    }

    private TransformerState(TransformerState o) {
        batch = o.batch;
        capacity = o.capacity;
        length = o.length;
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
        att = new float[o.att.length];
        logits = new float[o.logits.length];
        lastLogits = o.lastLogits.clone();
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
