package dev.seriatim.text.hf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.io.gguf.GgufFile;
import dev.seriatim.io.safetensors.SafetensorsCheckpoint;
import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.Parallel;
import dev.seriatim.text.transformer.Architecture;
import dev.seriatim.text.transformer.RandomModelWriter;
import dev.seriatim.text.transformer.TinyModels;
import dev.seriatim.text.transformer.Transformer;
import dev.seriatim.text.transformer.TransformerConfig;
import dev.seriatim.text.transformer.TransformerLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The same random model written as a GGUF file and as a Hugging Face folder (HF tensor names,
 * HF q/k row order, Conv1D for GPT-2, one file or shards) gives the same logits.
 */
class HfFolderLogitsTest {

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Architecture.LLAMA, GgmlType.F32, 1),
                Arguments.of(Architecture.LLAMA, GgmlType.F16, 3),
                Arguments.of(Architecture.LLAMA, GgmlType.BF16, 1),
                Arguments.of(Architecture.QWEN2, GgmlType.F32, 2),
                Arguments.of(Architecture.QWEN2, GgmlType.BF16, 1),
                Arguments.of(Architecture.GPT2, GgmlType.F32, 1),
                Arguments.of(Architecture.GPT2, GgmlType.F16, 2));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void folderAndGgufGiveTheSameLogits(Architecture arch, GgmlType type, int shards) throws Exception {
        TransformerConfig config = TinyModels.config(arch, 300);
        Path gguf = dir.resolve("m.gguf");
        RandomModelWriter.write(config, type, 11, 0.3, gguf);
        Path folder = dir.resolve("hf");
        HfFolders.fromGguf(gguf, folder, shards);
        int[] tokens = new Random(5).ints(30, 0, 300).toArray();
        try (GgufFile g = GgufFile.open(gguf);
                SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(folder);
                Parallel p = Parallel.serial()) {
            TransformerConfig gc = TransformerLoader.config(g);
            HfConfig hc = HfConfig.parse(JsonMapper.builder().build().readTree(Files.readString(folder.resolve("config.json"))));
            // the folder keeps the checkpoint's RoPE convention (split halves) where a llama GGUF
            // interleaves; the logits below show the two agree
            assertThat(hc.config().rope()).isEqualTo(arch.rope() == Architecture.Rope.NONE
                    ? Architecture.Rope.NONE : Architecture.Rope.SPLIT_HALF);
            assertThat(hc.config()).usingRecursiveComparison().ignoringFields("rope").isEqualTo(gc);
            Transformer fromGguf = new Transformer(gc, TransformerLoader.weights(g, gc), p, 64);
            Transformer fromHf = new Transformer(hc.config(), HfWeightsLoader.load(ckpt, hc), p, 64);
            float[] a = fromGguf.append(fromGguf.newState(), tokens, 0, tokens.length).clone();
            float[] b = fromHf.append(fromHf.newState(), tokens, 0, tokens.length).clone();
            float max = 0;
            for (float v : a) {
                max = Math.max(max, Math.abs(v));
            }
            assertThat(max).isGreaterThan(0.1f);
            for (int i = 0; i < a.length; i++) {
                assertThat(b[i]).as("logit %d", i).isCloseTo(a[i], org.assertj.core.data.Offset.offset(1e-4f * (1 + max)));
            }
        }
    }
}
