package dev.seriatim.train;

/**
 * What one update did.
 *
 * @param step       updates done, counting this one
 * @param loss       mean training loss of the step's batches, nats per token
 * @param gradNorm   global gradient norm before clipping
 * @param tokens     tokens processed by the step
 * @param seconds    wall time of the step
 */
public record StepReport(int step, double loss, float lr, double gradNorm, long tokens, double seconds) {}
