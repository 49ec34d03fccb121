package dev.seriatim.timeseries;

import dev.seriatim.io.csv.CsvReader;
import dev.seriatim.io.csv.CsvTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference values written by tools/reference/arima/arima_reference.R (R forecast 8.x),
 * copied to the test resources: fits.tsv / auto.tsv (id, key, value) and series/*.csv.
 */
public final class RReference {

    private RReference() {
    }

    /** id -> (key -> value), in file order. */
    public static Map<String, Map<String, String>> table(String name) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        try (InputStream in = RReference.class.getResourceAsStream("/timeseries/" + name);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split("\t", -1);
                out.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], f[2].strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A classic series by its R name (NaN for NA). */
    public static double[] series(String name) {
        return column(name, "value");
    }

    /** One column of series/NAME.csv (the regressor columns of the xreg cases). */
    public static double[] column(String name, String column) {
        try (InputStream in = RReference.class.getResourceAsStream("/timeseries/series/" + name + ".csv")) {
            CsvTable t = CsvReader.read(in, name + ".csv");
            return t.numbers(t.require(column));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
