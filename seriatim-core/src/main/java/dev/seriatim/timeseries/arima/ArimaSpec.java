package dev.seriatim.timeseries.arima;

import java.util.List;

/**
 * What to fit: the orders, whether to include a mean (only when d + D = 0) or a drift (only
 * when d + D = 1), optional regressors (regression with ARIMA errors), an optional Box-Cox
 * lambda (NaN for none) and the estimation method.
 *
 * @param xreg regressors by column: {@code xreg[j][t]}; empty for none
 */
public record ArimaSpec(ArimaOrder order, boolean includeMean, boolean includeDrift,
        double[][] xreg, List<String> xregNames, double lambda, Method method) {

    /** R's estimation methods. */
    public enum Method {
        /** Conditional sum of squares for starting values, then exact maximum likelihood (R's default). */
        CSS_ML,
        /** Exact maximum likelihood from zero starting values. */
        ML,
        /** Conditional sum of squares only (used by auto.arima's approximation). */
        CSS
    }

    public ArimaSpec {
        if (xreg.length != xregNames.size()) {
            throw new IllegalArgumentException("one name per regressor is needed");
        }
        xregNames = List.copyOf(xregNames);
    }

    /** The given orders with R forecast's Arima() defaults: a mean when d + D = 0, no drift. */
    public static ArimaSpec of(ArimaOrder order) {
        return new ArimaSpec(order, order.differences() == 0, false, new double[0][], List.of(), Double.NaN,
                Method.CSS_ML);
    }

    public ArimaSpec withMean(boolean mean) {
        return new ArimaSpec(order, mean, includeDrift, xreg, xregNames, lambda, method);
    }

    public ArimaSpec withDrift(boolean drift) {
        return new ArimaSpec(order, includeMean, drift, xreg, xregNames, lambda, method);
    }

    public ArimaSpec withLambda(double boxCoxLambda) {
        return new ArimaSpec(order, includeMean, includeDrift, xreg, xregNames, boxCoxLambda, method);
    }

    public ArimaSpec withMethod(Method m) {
        return new ArimaSpec(order, includeMean, includeDrift, xreg, xregNames, lambda, m);
    }

    public ArimaSpec withRegressors(double[][] columns, List<String> names) {
        return new ArimaSpec(order, includeMean, includeDrift, columns, names, lambda, method);
    }

    /** True when the fitted model has an intercept column (a mean and no differencing). */
    public boolean hasIntercept() {
        return includeMean && order.differences() == 0;
    }

    /**
     * True when the fitted model has a drift column. As in R forecast, drift is dropped when
     * d + D > 1 (it would be differenced away).
     */
    public boolean hasDrift() {
        return includeDrift && order.differences() <= 1;
    }
}
