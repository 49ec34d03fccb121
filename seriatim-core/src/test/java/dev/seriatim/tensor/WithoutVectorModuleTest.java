package dev.seriatim.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The library must run with plain Java when jdk.incubator.vector is absent or switched off. */
class WithoutVectorModuleTest {

    @Test
    void runsWithoutTheModule() throws Exception {
        String output = runSmoke();
        assertThat(output).contains("vector=false formats=Q8_0Format total=");
        // Same computation in this JVM on the vector path: sums in another order, so compare
        // to rounding.
        assertThat(total(output)).isCloseTo(total(smokeHere()), org.assertj.core.data.Offset.offset(1e-3f));
    }

    @Test
    void systemPropertySwitchesTheVectorApiOff() throws Exception {
        String output = runSmoke("--add-modules", "jdk.incubator.vector", "-Dseriatim.vector=false");
        assertThat(output).contains("vector=false formats=Q8_0Format");
    }

    @Test
    void usesTheVectorApiWhenThereIsAModule() throws Exception {
        String output = runSmoke("--add-modules", "jdk.incubator.vector");
        assertThat(output).contains("vector=true formats=Q8_0VectorFormat");
    }

    @Test
    void narrow128BitVectorsGiveTheSameResults() throws Exception {
        // MaxVectorSize=16 makes the preferred species 4 floats wide, so the formats take
        // their multi-part widening paths (one byte load feeding several float vectors).
        String output = runSmoke("--add-modules", "jdk.incubator.vector", "-XX:MaxVectorSize=16");
        assertThat(output).contains("vector=true");
        assertThat(total(output)).isCloseTo(total(smokeHere()), org.assertj.core.data.Offset.offset(1e-3f));
    }

    private static float total(String output) {
        String line = output.lines().filter(l -> l.startsWith("vector=")).findFirst().orElseThrow();
        return Float.parseFloat(line.substring(line.indexOf("total=") + "total=".length()).trim());
    }

    private static String smokeHere() {
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            NoVectorSmoke.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private static String runSmoke(String... jvmOptions) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                NoVectorSmoke.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
