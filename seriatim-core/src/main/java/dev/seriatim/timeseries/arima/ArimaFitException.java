package dev.seriatim.timeseries.arima;

/** A model that cannot be fitted to this series (R stops with an error in the same places). */
public final class ArimaFitException extends IllegalArgumentException {

    public ArimaFitException(String message) {
        super(message);
    }
}
