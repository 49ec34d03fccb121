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

    private static final java.util.regex.Pattern FORMULA = java.util.regex.Pattern.compile(
            "(?i)\\s*arima\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)"
            + "(?:\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)\\s*(?:\\[\\s*(\\d+)\\s*\\])?)?\\s*");

    /**
     * Parses R's notation "arima(p,d,q)" or "arima(p,d,q)(P,D,Q)[m]"; without [m] the seasonal
     * period is defaultPeriod (the series frequency).
     */
    public static ArimaOrder parse(String text, int defaultPeriod) {
        java.util.regex.Matcher m = FORMULA.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a model: '" + text + "' (expected e.g. arima(1,1,1) or arima(0,1,1)(0,1,1)[12])");
        }
        try {
            int p = Integer.parseInt(m.group(1)), d = Integer.parseInt(m.group(2)), q = Integer.parseInt(m.group(3));
            if (m.group(4) == null) {
                return new ArimaOrder(p, d, q, 0, 0, 0, Math.max(1, defaultPeriod));
            }
            int period = m.group(7) != null ? Integer.parseInt(m.group(7)) : defaultPeriod;
            int sp = Integer.parseInt(m.group(4)), sd = Integer.parseInt(m.group(5)), sq = Integer.parseInt(m.group(6));
            if (period < 2 && sp + sd + sq > 0) {
                throw new IllegalArgumentException("seasonal model '" + text + "' needs a period: write [m] or give the series a frequency");
            }
            return new ArimaOrder(p, d, q, sp, sd, sq, Math.max(1, period));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("order too large in '" + text + "'");
        }
    }
}
