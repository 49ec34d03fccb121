package dev.seriatim.timeseries.ar;

/** How the AR coefficients are estimated. */
public enum ArMethod {
    /** Yule-Walker equations from the sample autocovariances (Durbin-Levinson). */
    YULE_WALKER,
    /** Burg's method: reflection coefficients from forward and backward prediction errors. */
    BURG
}
