package dev.seriatim.timeseries.optim;

/** A function to minimise; may return +Inf or NaN where it is not defined. */
@FunctionalInterface
public interface Objective {
    double value(double[] x);
}
