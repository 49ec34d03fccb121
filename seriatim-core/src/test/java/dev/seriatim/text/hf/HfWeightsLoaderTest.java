package dev.seriatim.text.hf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.io.safetensors.SafetensorsCheckpoint;
import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.Parallel;
import dev.seriatim.tensor.WeightMatrix;
import dev.seriatim.text.transformer.Architecture;
import dev.seriatim.text.transformer.LayerWeights;
import dev.seriatim.text.transformer.RandomModelWriter;
import dev.seriatim.text.transformer.TinyModels;
import dev.seriatim.text.transformer.TransformerConfig;
import dev.seriatim.text.transformer.TransformerWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

class HfWeightsLoaderTest {

    @TempDir
    Path dir;

    /**
     * GPT-2's Conv1D matrices come out the same whatever the read size of the transposition:
     * 1 MiB (one read per tensor here), a few rows with a partial last read, or less than a row
     * (one row per read). Compared through matrix-vector products with random inputs, which
     * differ if any weight landed in the wrong place.
     */
    @ParameterizedTest(name = "read {0} bytes")
    @ValueSource(longs = {1, 100, 1000})
    void conv1dTransposeDoesNotDependOnTheReadSize(long readBytes) throws Exception {
        TransformerConfig config = TinyModels.config(Architecture.GPT2, 300);
        Path gguf = dir.resolve("m.gguf");
        RandomModelWriter.write(config, GgmlType.F16, 3, 0.3, gguf);
        Path folder = dir.resolve("hf");
        HfFolders.fromGguf(gguf, folder, 1);
        HfConfig hc = HfConfig.parse(JsonMapper.builder().build().readTree(Files.readString(folder.resolve("config.json"))));
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(folder);
                Parallel p = Parallel.serial()) {
            TransformerWeights whole = HfWeightsLoader.load(checkpoint, hc);
            TransformerWeights pieces = HfWeightsLoader.load(checkpoint, hc, readBytes);
            List<Function<LayerWeights, WeightMatrix>> conv1d =
                    List.of(LayerWeights::wqkv, LayerWeights::wo, LayerWeights::wUp, LayerWeights::wDown);
            Random random = new Random(readBytes);
            for (int l = 0; l < config.layers(); l++) {
                for (Function<LayerWeights, WeightMatrix> matrix : conv1d) {
                    WeightMatrix a = matrix.apply(whole.layers().get(l));
                    WeightMatrix b = matrix.apply(pieces.layers().get(l));
                    float[] x = new float[a.cols()];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) random.nextGaussian();
                    }
                    float[] ya = new float[a.rows()];
                    float[] yb = new float[b.rows()];
                    a.matvec(x, 0, ya, 0, p);
                    b.matvec(x, 0, yb, 0, p);
                    assertThat(yb).as("layer %d %s", l, a).containsExactly(ya);
                }
            }
        }
    }
}
