package dev.seriatim.decode;

/**
 * Receives a generation as it happens (the streaming API). Calls come on the generating
 * thread, in order; {@code sample} says which of several samples they belong to.
 */
public interface GenerationListener {

    GenerationListener NONE = new GenerationListener() {
    };

    /** A token was picked ({@code logprob} is null unless log-probabilities were asked for). */
    default void onToken(int sample, int token, TokenLogprob logprob) {
    }

    /** Text that has become final: it will not change and contains no part of a stop string. */
    default void onText(int sample, String text) {
    }

    /** The sample is complete. */
    default void onFinish(int sample, Generation generation) {
    }
}
