package dev.seriatim.decode;

/** The continuation a generator produced: new tokens only, never the prompt. */
public record Generation(int[] tokens, FinishReason finishReason) {
}
