package dev.seriatim.app;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Parses {@code --logit-bias ID=BIAS} values; several may share one argument, separated by commas. */
final class LogitBiasParser {

    private LogitBiasParser() {
    }

    /** Later entries for the same id replace earlier ones. */
    static Map<Integer, Float> parse(Iterable<String> values) {
        Map<Integer, Float> bias = new LinkedHashMap<>();
        for (String value : values) {
            for (String entry : value.split(",", -1)) {
                parseEntry(entry.strip(), bias);
            }
        }
        return bias;
    }

    private static void parseEntry(String entry, Map<Integer, Float> bias) {
        int eq = entry.indexOf('=');
        if (eq <= 0 || eq == entry.length() - 1) {
            throw syntax(entry);
        }
        String id = entry.substring(0, eq).strip();
        String b = entry.substring(eq + 1).strip().toLowerCase(Locale.ROOT);
        int token;
        try {
            token = Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw syntax(entry);
        }
        if (token < 0) {
            throw new InputException("--logit-bias: token id must be >= 0 in '" + entry + "'");
        }
        float value;
        if (b.equals("-inf") || b.equals("-infinity") || b.equals("ban")) {
            value = Float.NEGATIVE_INFINITY;
        } else if (b.equals("inf") || b.equals("+inf") || b.equals("infinity") || b.equals("+infinity")) {
            throw new InputException("--logit-bias: the bias in '" + entry + "' must be a finite number or -inf");
        } else {
            try {
                value = Float.parseFloat(b);
            } catch (NumberFormatException e) {
                throw syntax(entry);
            }
            if (!Float.isFinite(value)) {
                throw new InputException("--logit-bias: the bias in '" + entry + "' must be a finite number or -inf");
            }
        }
        bias.put(token, value);
    }

    private static InputException syntax(String entry) {
        return new InputException("--logit-bias: '" + entry + "' is not ID=BIAS (for example 15043=-2.5, or 15043=-inf to ban a token)");
    }
}
