package dev.seriatim.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.VectorSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class BlockFormatsTest {

    @ParameterizedTest
    @MethodSource("dev.seriatim.quant.FormatPairs#types")
    void everyComputableTypeHasBothFormats(GgmlType type) {
        assertThat(BlockFormats.scalar(type).type()).isEqualTo(type);
        assertThat(BlockFormats.of(type).type()).isEqualTo(type);
        assertThat(BlockFormats.of(type).rowBytes(64)).isEqualTo(type.bytesFor(64));
        assertThat(type.computable()).isTrue();
    }

    @Test
    void ofPicksTheVectorTwinWhenTheModuleIsPresent() {
        // Surefire starts the JVM with --add-modules jdk.incubator.vector.
        assertThat(VectorSupport.available()).isTrue();
        assertThat(BlockFormats.of(GgmlType.Q8_0)).isInstanceOf(Q8_0VectorFormat.class);
        assertThat(BlockFormats.scalar(GgmlType.Q8_0)).isInstanceOf(Q8_0Format.class);
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"}, mode = EnumSource.Mode.EXCLUDE)
    void otherTypesAreRejectedByName(GgmlType type) {
        assertThatThrownBy(() -> BlockFormats.of(type))
                .isInstanceOf(UnsupportedTypeException.class)
                .hasMessage("tensor type " + type + " is not supported yet (supported: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K)");
        assertThatThrownBy(() -> BlockFormats.scalar(type)).isInstanceOf(UnsupportedTypeException.class);
        assertThat(type.computable()).isFalse();
    }
}
