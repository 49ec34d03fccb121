package dev.seriatim.decode;

/** Why generation ended, with the OpenAI API's names. */
public enum FinishReason {
    /** An end-of-sequence token (or another stop condition) was produced. */
    STOP("stop"),
    /** The token budget or the context ran out. */
    LENGTH("length"),
    /** The time limit ran out (not an OpenAI name: the API has no time limit). */
    TIME_LIMIT("time_limit");

    private final String apiName;

    FinishReason(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }
}
