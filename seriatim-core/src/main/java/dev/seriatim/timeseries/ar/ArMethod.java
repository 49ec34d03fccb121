package dev.seriatim.timeseries.ar;

/** How the AR coefficients are estimated (R's {@code ar(method = ...)}). */
public enum ArMethod {
    /** Yule-Walker equations from the sample autocovariances (Durbin-Levinson). */
    YULE_WALKER,
    /** Burg's method: reflection coefficients from forward and backward prediction errors. */
    BURG,
    /** Least squares of x_t on an intercept and x_{t-1..t-p} of the demeaned series (R's ar.ols). */
    OLS,
    /** Exact Gaussian maximum likelihood with the mean estimated jointly (R's ar.mle). */
    MLE;

    /** The method named as R's {@code ar()} or the command line names it: yw, yule-walker, burg, ols, mle. */
    public static ArMethod parse(String name) {
        return switch (name.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "yw", "yule-walker" -> YULE_WALKER;
            case "burg" -> BURG;
            case "ols" -> OLS;
            case "mle" -> MLE;
            default -> throw new IllegalArgumentException("unknown AR method '" + name + "' (expected yw, burg, ols or mle)");
        };
    }
}
