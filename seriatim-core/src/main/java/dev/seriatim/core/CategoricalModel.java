package dev.seriatim.core;

/**
 * The contract every categorical autoregressive model meets: given the elements so far (held
 * in a state), the logits of the next element over a fixed vocabulary.
 *
 * <p>A generator runs one loop over it: {@code append} the context, pick from the logits,
 * {@code append} the pick, repeat. Scoring is the same loop with the element given.
 *
 * @param <S> the model's mutable state: the elements consumed so far and any cache
 */
public interface CategoricalModel<S> {

    /** Number of distinct elements (tokens, pixel intensities, mu-law levels). */
    int vocabSize();

    /** Most elements a state can hold. */
    int maxLength();

    /** A fresh state that has consumed nothing. */
    S newState();

    /** An independent copy of the state (for several samples or beams from one prefix). */
    S copyState(S state);

    /** Empties the state so it can be reused from the start (no reallocation). */
    void reset(S state);

    /**
     * Whether {@link #truncate} works: then several continuations of one prefix can reuse one
     * state instead of a copy each.
     */
    default boolean canTruncate() {
        return false;
    }

    /**
     * Forgets everything the state consumed after its first {@code length} elements, as if it
     * had consumed only those (for a KV cache: the later positions are overwritten as the state
     * grows again). The logits returned before are no longer valid.
     *
     * @throws UnsupportedOperationException if {@link #canTruncate} is false
     */
    default void truncate(S state, int length) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot truncate a state");
    }

    /** Number of elements the state has consumed. */
    int length(S state);

    /**
     * Tells the model that {@code state} will hold up to {@code length} elements (capped at
     * {@link #maxLength}), so a model whose cache grows on demand can allocate it once at that
     * size now instead of growing it by doubling, which can leave up to twice the room needed
     * (and a copy of the old cache) resident. A hint only: appending beyond it still works, and
     * models without such a cache ignore it.
     */
    default void reserve(S state, int length) {}

    /**
     * Consumes {@code tokens[from .. from+count)} and returns the logits of the element that
     * follows them. The returned array belongs to the state and is overwritten by the next call.
     */
    float[] append(S state, int[] tokens, int from, int count);

    /**
     * Consumes the tokens and hands the logits after every one of them to {@code sink}, in
     * order; the cost of scoring a whole sequence in one pass.
     */
    void appendScoring(S state, int[] tokens, int from, int count, LogitsSink sink);

    /** Receives the next-element logits after the element at sequence index {@code index}. */
    @FunctionalInterface
    interface LogitsSink {
        void accept(int index, float[] logits, int offset);
    }
}
