package dev.seriatim.decode;

import java.util.Arrays;

/**
 * The tokens still in the running for the next pick, each with its (processed) logit: the
 * working set the logit processors narrow down and the sampler picks from.
 *
 * <p>It starts as the whole vocabulary with the model's logits ({@link #reset}); processors
 * change logits in place and drop candidates ({@link #retainFirst}, {@link #retainAtLeast}).
 * The model's own logits array is never modified, so raw log-probabilities stay available.
 * All buffers are sized once for the vocabulary: a decode step allocates nothing.
 */
public final class Candidates {

    private final int capacity;
    private final int[] ids;
    private final float[] logits;
    private final long[] keys;
    private final double[] probs;
    private int size;
    private boolean sorted;

    /** Room for a vocabulary of {@code capacity} tokens. */
    public Candidates(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("vocabulary size must be positive, got " + capacity);
        }
        this.capacity = capacity;
        ids = new int[capacity];
        logits = new float[capacity];
        keys = new long[capacity];
        probs = new double[capacity];
    }

    /**
     * Makes every token {@code 0 .. n-1} a candidate with logit {@code source[i]}.
     *
     * @throws IllegalStateException if a logit is NaN or +infinity (a broken model or input)
     */
    public void reset(float[] source, int n) {
        if (n < 1 || n > capacity) {
            throw new IllegalArgumentException("vocabulary of " + n + " tokens does not fit candidates sized " + capacity);
        }
        for (int i = 0; i < n; i++) {
            float l = source[i];
            if (Float.isNaN(l) || l == Float.POSITIVE_INFINITY) {
                throw new IllegalStateException("the model produced a non-finite logit (" + l + ") for token " + i);
            }
            ids[i] = i;
            logits[i] = l;
        }
        size = n;
        sorted = false;
    }

    public int capacity() {
        return capacity;
    }

    public int size() {
        return size;
    }

    /** Token id of candidate {@code i}. */
    public int id(int i) {
        return ids[i];
    }

    public float logit(int i) {
        return logits[i];
    }

    /** Changes a logit; the candidates are no longer known to be sorted. */
    public void setLogit(int i, float value) {
        if (Float.isNaN(value)) {
            throw new IllegalStateException("a processor produced a NaN logit for token " + ids[i]);
        }
        logits[i] = value;
        sorted = false;
    }

    /** Whether the candidates are in descending logit order (ties: lower id first). */
    public boolean isSorted() {
        return sorted;
    }

    /** For processors that change logits without changing their order. */
    void markSorted(boolean sorted) {
        this.sorted = sorted;
    }

    /** Largest logit among the candidates. */
    public float maxLogit() {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            max = Math.max(max, logits[i]);
        }
        return max;
    }

    /** Sorts by descending logit, ties by ascending id (a total order, so results are reproducible). */
    public void sortByLogit() {
        if (sorted) {
            return;
        }
        for (int i = 0; i < size; i++) {
            keys[i] = ((long) ~orderedBits(logits[i]) << 32) | ids[i];
        }
        sortKeysAndReorder();
        sorted = true;
    }

    /**
     * Sorts by ascending {@code score[i]} (one score per current candidate), ties by descending
     * logit then ascending id; used by filters that rank by something other than the logit.
     */
    public void sortBy(double[] score) {
        // rank by logit first so that the position packed into the key breaks ties by logit
        sortByLogit();
        for (int i = 0; i < size; i++) {
            keys[i] = ((long) orderedBits((float) score[i]) << 32) | i;
        }
        Arrays.sort(keys, 0, size);
        for (int i = 0; i < size; i++) {
            int from = (int) keys[i];
            // reuse probs as a temporary copy of the logits and keys' low bits for the ids
            probs[i] = logits[from];
            keys[i] = ids[from];
        }
        for (int i = 0; i < size; i++) {
            logits[i] = (float) probs[i];
            ids[i] = (int) keys[i];
        }
        sorted = false;
    }

    /**
     * Keeps the {@code k} highest candidates, sorted as by {@link #sortByLogit}. When the set is
     * not sorted yet this selects before sorting (quickselect, then a sort of only k keys), so
     * top-k over a large vocabulary costs about one pass instead of a full sort.
     */
    public void keepTop(int k) {
        if (k >= size) {
            sortByLogit();
            return;
        }
        if (sorted) {
            retainFirst(k);
            return;
        }
        for (int i = 0; i < size; i++) {
            keys[i] = ((long) ~orderedBits(logits[i]) << 32) | ids[i];
        }
        // keys are distinct (the id is part of each), so the k smallest are well defined
        selectSmallest(keys, size, k);
        size = k;
        sortKeysAndReorder();
        sorted = true;
    }

    /** Moves the k smallest of {@code a[0 .. n)} to {@code a[0 .. k)} (in any order). */
    private static void selectSmallest(long[] a, int n, int k) {
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            // median of three as the pivot: no quadratic case on sorted or reversed input
            long x = a[lo];
            long y = a[mid];
            long z = a[hi];
            long pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k - 1 <= j) {
                hi = j;
            } else if (k - 1 >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    /** Keeps candidates {@code 0 .. count-1} in their current order. */
    public void retainFirst(int count) {
        if (count < size) {
            size = Math.max(count, 0);
        }
    }

    /**
     * Keeps the candidates whose logit is at least {@code threshold}, in order; if fewer than
     * {@code minKeep} pass, keeps the {@code minKeep} highest instead.
     */
    public void retainAtLeast(double threshold, int minKeep) {
        int passing = 0;
        for (int i = 0; i < size; i++) {
            if (logits[i] >= threshold) {
                passing++;
            }
        }
        if (passing < Math.min(minKeep, size)) {
            sortByLogit();
            retainFirst(minKeep);
            return;
        }
        int w = 0;
        for (int i = 0; i < size; i++) {
            if (logits[i] >= threshold) {
                ids[w] = ids[i];
                logits[w] = logits[i];
                w++;
            }
        }
        size = w;
    }

    /**
     * softmax of the candidates' logits, in double with the maximum subtracted, aligned with
     * the candidates. The array is scratch space, valid until the candidates change.
     *
     * @throws IllegalStateException if every candidate has logit -infinity
     */
    public double[] probabilities() {
        float max = maxLogit();
        if (max == Float.NEGATIVE_INFINITY) {
            throw new IllegalStateException("no token can be picked: every candidate's logit is -infinity");
        }
        double sum = 0;
        for (int i = 0; i < size; i++) {
            probs[i] = Math.exp((double) logits[i] - max);
            sum += probs[i];
        }
        for (int i = 0; i < size; i++) {
            probs[i] /= sum;
        }
        return probs;
    }

    private void sortKeysAndReorder() {
        Arrays.sort(keys, 0, size);
        for (int i = 0; i < size; i++) {
            ids[i] = (int) keys[i];
        }
        for (int i = 0; i < size; i++) {
            logits[i] = Float.intBitsToFloat(unorderedBits(~(int) (keys[i] >>> 32)));
        }
    }

    /** Maps a float's bits to an int whose signed order is the float's numeric order. */
    private static int orderedBits(float f) {
        int bits = Float.floatToRawIntBits(f == 0f ? 0f : f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    private static int unorderedBits(int ordered) {
        return ordered ^ ((ordered >> 31) & 0x7fffffff);
    }
}
