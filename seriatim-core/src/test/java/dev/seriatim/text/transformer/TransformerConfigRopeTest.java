package dev.seriatim.text.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seriatim.tensor.GgmlType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config's RoPE convention: the architecture's by default, another only where it has one at all. */
class TransformerConfigRopeTest {

    @TempDir
    Path dir;

    private static TransformerConfig with(Architecture a, Architecture.Rope rope) {
        TransformerConfig t = TinyModels.config(a, 300);
        return new TransformerConfig(a, t.dim(), t.layers(), t.heads(), t.kvHeads(), t.headDim(), t.ffnDim(),
                t.vocabSize(), t.contextLength(), t.normEps(), t.ropeTheta(), t.ropeDim(), t.ropeScale(), t.tiedOutput(), rope);
    }

    @Test
    void theConventionDefaultsToTheArchitecturesAndMaySwitchBetweenTheTwoRotations() {
        for (Architecture a : Architecture.values()) {
            assertThat(TinyModels.config(a, 300).rope()).isEqualTo(a.rope());
        }
        assertThat(with(Architecture.LLAMA, Architecture.Rope.SPLIT_HALF).rope()).isEqualTo(Architecture.Rope.SPLIT_HALF);
        assertThatThrownBy(() -> with(Architecture.LLAMA, Architecture.Rope.NONE))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("rope NONE does not fit architecture LLAMA");
        assertThatThrownBy(() -> with(Architecture.GPT2, Architecture.Rope.SPLIT_HALF))
                .hasMessageContaining("rope SPLIT_HALF does not fit architecture GPT2");
    }

    /** A llama GGUF file means adjacent pairs to every reader, so one cannot be written with split halves. */
    @Test
    void aGgufIsWrittenOnlyInItsArchitecturesConvention() {
        assertThatThrownBy(() -> RandomModelWriter.write(with(Architecture.LLAMA, Architecture.Rope.SPLIT_HALF),
                GgmlType.F32, 1, dir.resolve("m.gguf")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a LLAMA GGUF uses INTERLEAVED RoPE, not SPLIT_HALF");
        assertThat(dir.resolve("m.gguf")).doesNotExist();
    }
}
