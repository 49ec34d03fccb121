package dev.seriatim.io.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seriatim.timeseries.SeriesCsv;
import dev.seriatim.timeseries.TimeSeries;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

    static CsvTable read(String text) throws IOException {
        return CsvReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t.csv");
    }

    @Test
    void quotedCellsCrlfAndBom() throws IOException {
        CsvTable t = read("\uFEFFname,\"value, in $\"\r\n\"a \"\"b\"\"\",1.5\r\n\r\nc,NA\r\n");
        assertThat(t.header()).containsExactly("name", "value, in $");
        assertThat(t.rows().get(0)[0]).isEqualTo("a \"b\"");
        assertThat(t.numbers(1)).containsExactly(1.5, Double.NaN);
    }

    @Test
    void errorsNameTheFileRowAndColumn() {
        assertThatThrownBy(() -> read("")).hasMessageContaining("t.csv: empty file");
        assertThatThrownBy(() -> read("a\n\"open\n")).hasMessageContaining("not closed");
        assertThatThrownBy(() -> read("a,b\n1\n")).hasMessageContaining("line 2 has 1 cells");
        assertThatThrownBy(() -> read("v\n1\nInfinity\n").numbers(0)).hasMessageContaining("row 3");
        assertThatThrownBy(() -> read("v\n15d\n").numbers(0)).hasMessageContaining("not a finite decimal");
        assertThatThrownBy(() -> CsvReader.read(new ByteArrayInputStream(new byte[] {'v', '\n', (byte) 0xff}), "bin.csv"))
                .hasMessageContaining("not UTF-8");
    }

    @Test
    void seriesPicksTheDateAndValueColumnsAndTheFrequency() throws IOException {
        TimeSeries q = SeriesCsv.read(read("quarter,sales\n2020-01-01,1\n2020-04-01,2\n2020-07-01,3\n"), null, 0);
        assertThat(q.frequency()).isEqualTo(4);
        assertThat(q.name()).isEqualTo("sales");
        assertThat(q.futureDate(1)).hasToString("2020-10-01");
        TimeSeries plain = SeriesCsv.read(read("x\n1\n2\n"), null, 0);
        assertThat(plain.frequency()).isEqualTo(1);
        assertThat(plain.dates()).isNull();
        assertThatThrownBy(() -> SeriesCsv.read(read("d,v\n2020-02-01,1\n2020-01-01,2\n"), null, 0))
                .hasMessageContaining("dates must increase");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomBytesNeverEscapeAsAnythingButFormatErrors(int seed) {
        Random rnd = new Random(seed);
        byte[] b = new byte[rnd.nextInt(200)];
        for (int i = 0; i < b.length; i++) {
            String alphabet = "a,1\"\n\r.x-é\u0000";
            b[i] = (byte) alphabet.charAt(rnd.nextInt(alphabet.length()));
        }
        try {
            CsvTable t = CsvReader.read(new ByteArrayInputStream(b), "fuzz.csv");
            for (int c = 0; c < t.header().size(); c++) {
                t.isNumeric(c);
            }
        } catch (CsvFormatException | IOException e) {
            // expected for malformed input
        }
    }
}
