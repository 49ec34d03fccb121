package dev.seriatim.app;

import dev.seriatim.timeseries.arima.ArimaFit;
import dev.seriatim.timeseries.arima.ArimaOrder;
import java.io.PrintWriter;
import java.util.Locale;
import tools.jackson.databind.node.ObjectNode;

/** A fitted ARIMA model as JSON fields and as R-style text. */
final class FitReport {

    private FitReport() {
    }

    /** Adds model, coefficients, standard_errors, sigma2, sigma2_mle, loglik, aic, aicc, bic, nobs. */
    static void addTo(ObjectNode o, ArimaFit fit) {
        ArimaOrder ord = fit.order();
        ObjectNode model = o.putObject("model");
        model.putArray("order").add(ord.p()).add(ord.d()).add(ord.q());
        model.putArray("seasonal").add(ord.seasonalP()).add(ord.seasonalD()).add(ord.seasonalQ()).add(ord.period());
        model.put("mean", fit.spec().hasIntercept());
        model.put("drift", fit.spec().hasDrift());
        if (!Double.isNaN(fit.spec().lambda())) {
            model.put("lambda", fit.spec().lambda());
        } else {
            model.putNull("lambda");
        }
        model.put("name", name(fit));
        ObjectNode coef = o.putObject("coefficients");
        ObjectNode se = o.putObject("standard_errors");
        for (int i = 0; i < fit.names().size(); i++) {
            coef.put(fit.names().get(i), fit.coefficients()[i]);
            number(se, fit.names().get(i), fit.standardErrors()[i]);
        }
        number(o, "sigma2", fit.sigma2());
        number(o, "sigma2_mle", fit.sigma2Mle());
        number(o, "loglik", fit.loglik());
        number(o, "aic", fit.aic());
        number(o, "aicc", fit.aicc());
        number(o, "bic", fit.bic());
        o.put("nobs", fit.nUsed());
    }

    static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    /** "ARIMA(0,1,1)(0,1,1)[12] with drift" as R forecast prints it. */
    static String name(ArimaFit fit) {
        String s = fit.order().toString();
        if (fit.spec().hasDrift()) {
            s += " with drift";
        } else if (fit.spec().hasIntercept()) {
            s += " with non-zero mean";
        } else if (fit.order().differences() == 0) {
            s += " with zero mean";
        }
        return s;
    }

    static void print(PrintWriter out, String series, ArimaFit fit) {
        out.printf(Locale.ROOT, "Series: %s%n", series);
        out.printf(Locale.ROOT, "%s%n", name(fit));
        if (!Double.isNaN(fit.spec().lambda())) {
            out.printf(Locale.ROOT, "Box Cox transformation: lambda= %s%n", fit.spec().lambda());
        }
        if (!fit.names().isEmpty()) {
            out.println();
            out.println("Coefficients:");
            StringBuilder h = new StringBuilder("      ");
            StringBuilder c = new StringBuilder("      ");
            StringBuilder s = new StringBuilder("s.e.  ");
            for (int i = 0; i < fit.names().size(); i++) {
                h.append(String.format(Locale.ROOT, "%12s", fit.names().get(i)));
                c.append(String.format(Locale.ROOT, "%12.4f", fit.coefficients()[i]));
                s.append(String.format(Locale.ROOT, "%12.4f", fit.standardErrors()[i]));
            }
            out.println(h);
            out.println(c);
            out.println(s);
        }
        out.println();
        out.printf(Locale.ROOT, "sigma^2 = %.6g:  log likelihood = %.2f%n", fit.sigma2(), fit.loglik());
        out.printf(Locale.ROOT, "AIC=%.2f   AICc=%.2f   BIC=%.2f%n", fit.aic(), fit.aicc(), fit.bic());
    }
}
