package dev.seriatim.decode;

/**
 * One step of the processor chain: changes the candidates' logits or removes candidates,
 * before the sampler picks. Implementations keep only scratch space, never per-sequence state,
 * so one instance serves any number of sequences (one at a time).
 */
@FunctionalInterface
public interface LogitProcessor {

    /** Processes the candidates for the next token of the sequence in {@code history}. */
    void apply(Candidates candidates, TokenHistory history);
}
