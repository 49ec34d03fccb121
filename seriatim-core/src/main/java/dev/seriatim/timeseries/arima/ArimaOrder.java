package dev.seriatim.timeseries.arima;

/**
 * The orders of ARIMA(p,d,q)(P,D,Q)[m]. A non-seasonal model has P = D = Q = 0; its period
 * is kept (it matters to the seasonal naive scale of MASE, not to the model).
 */
public record ArimaOrder(int p, int d, int q, int seasonalP, int seasonalD, int seasonalQ, int period) {

    public ArimaOrder {
        if (p < 0 || d < 0 || q < 0 || seasonalP < 0 || seasonalD < 0 || seasonalQ < 0) {
            throw new IllegalArgumentException("ARIMA orders must be non-negative");
        }
        if (period < 1) {
            throw new IllegalArgumentException("seasonal period must be at least 1, got " + period);
        }
        if (period == 1 && (seasonalP > 0 || seasonalD > 0 || seasonalQ > 0)) {
            throw new IllegalArgumentException("a seasonal part needs a period of at least 2");
        }
        if (p + seasonalP * period > 350 || q + seasonalQ * period > 350) {
            throw new IllegalArgumentException("ARMA polynomials above degree 350 are not supported");
        }
    }

    public static ArimaOrder of(int p, int d, int q) {
        return new ArimaOrder(p, d, q, 0, 0, 0, 1);
    }

    /** Number of ARMA coefficients p + q + P + Q. */
    public int armaCount() {
        return p + q + seasonalP + seasonalQ;
    }

    /** Total order of differencing d + D. */
    public int differences() {
        return d + seasonalD;
    }

    /** Observations lost to differencing, d + m D. */
    public int lostToDifferencing() {
        return d + period * seasonalD;
    }

    public boolean seasonal() {
        return seasonalP + seasonalD + seasonalQ > 0;
    }

    /** R's notation: ARIMA(1,1,1)(0,1,1)[12]. */
    @Override
    public String toString() {
        String s = "ARIMA(" + p + "," + d + "," + q + ")";
        return seasonal() ? s + "(" + seasonalP + "," + seasonalD + "," + seasonalQ + ")[" + period + "]" : s;
    }
}
