package dev.seriatim.io.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GgufMetadataTest {

    private static GgufMetadata metadata() {
        Map<String, GgufValue> m = new LinkedHashMap<>();
        m.put("general.architecture", GgufValue.string("llama"));
        m.put("llama.context_length", GgufValue.uint32(4096));
        m.put("llama.rope.freq_base", GgufValue.float32(10000f));
        m.put("f64", GgufValue.float64(0.5));
        m.put("neg", GgufValue.int8(-3));
        m.put("big.u64", GgufValue.uint64(-1L));
        m.put("flag", GgufValue.bool(true));
        m.put("tokens", GgufValue.array(GgufArray.ofStrings("a", "b")));
        m.put("scores", GgufValue.array(GgufArray.ofFloats(1f, 2f)));
        m.put("types", GgufValue.array(GgufArray.ofInt32(1, -2)));
        m.put("u8s", GgufValue.array(new GgufArray(GgufValueType.UINT8, new byte[] {(byte) 200, 1})));
        m.put("i16s", GgufValue.array(new GgufArray(GgufValueType.INT16, new short[] {-5, 7})));
        m.put("u32s.big", GgufValue.array(GgufArray.ofUInt32(-1)));
        m.put("i64s", GgufValue.array(GgufArray.ofInt64(3, Integer.MIN_VALUE)));
        m.put("i64s.big", GgufValue.array(GgufArray.ofInt64(1L << 40)));
        return GgufMetadata.of(m);
    }

    @Test
    void keysKeepInsertionOrder() {
        assertThat(metadata().keys()).startsWith("general.architecture", "llama.context_length", "llama.rope.freq_base");
        assertThat(metadata().size()).isEqualTo(15);
    }

    @Test
    void scalarGetters() {
        GgufMetadata m = metadata();
        assertThat(m.getString("general.architecture")).isEqualTo("llama");
        assertThat(m.findString("nope")).isEmpty();
        assertThat(m.getLong("llama.context_length")).isEqualTo(4096);
        assertThat(m.getLong("neg")).isEqualTo(-3);
        assertThat(m.findLong("nope")).isEmpty();
        assertThat(m.getFloat("llama.rope.freq_base")).isEqualTo(10000f);
        assertThat(m.getFloat("f64")).isEqualTo(0.5f);
        assertThat(m.getFloat("llama.context_length")).isEqualTo(4096f);
        assertThat(m.getFloat("big.u64")).isEqualTo(1.8446744E19f);
        assertThat(m.findFloat("nope")).isEmpty();
        assertThat(m.findBool("flag")).contains(true);
        assertThat(m.findBool("nope")).isEmpty();
        assertThat(m.get("flag")).contains(GgufValue.bool(true));
    }

    @Test
    void arrayGetters() {
        GgufMetadata m = metadata();
        assertThat(m.getStringArray("tokens")).containsExactly("a", "b");
        assertThat(m.getFloatArray("scores")).containsExactly(1f, 2f);
        assertThat(m.getIntArray("types")).containsExactly(1, -2);
        assertThat(m.getIntArray("u8s")).containsExactly(200, 1);
        assertThat(m.getIntArray("i16s")).containsExactly(-5, 7);
        assertThat(m.getIntArray("i64s")).containsExactly(3, Integer.MIN_VALUE);
        assertThat(m.findStringArray("nope")).isEmpty();
        assertThat(m.findFloatArray("nope")).isEmpty();
        assertThat(m.findIntArray("nope")).isEmpty();
    }

    @Test
    void sharedArraysAreTheHeldOnesWhereTheTypeAllows() {
        GgufMetadata m = metadata();
        float[] scores = m.findSharedFloatArray("scores").orElseThrow();
        assertThat(scores).containsExactly(1f, 2f).isSameAs(m.findSharedFloatArray("scores").orElseThrow());
        int[] types = m.findSharedIntArray("types").orElseThrow();
        assertThat(types).containsExactly(1, -2).isSameAs(m.findSharedIntArray("types").orElseThrow());
        // other integer types are converted, as findIntArray does, and still checked
        assertThat(m.findSharedIntArray("u8s").orElseThrow()).containsExactly(200, 1);
        assertThatThrownBy(() -> m.findSharedIntArray("i64s.big")).isInstanceOf(GgufFormatException.class);
        assertThatThrownBy(() -> m.findSharedFloatArray("types")).isInstanceOf(GgufFormatException.class);
        assertThat(m.findSharedFloatArray("nope")).isEmpty();
        assertThat(m.findSharedIntArray("nope")).isEmpty();
        // the copying getters still copy
        assertThat(m.getFloatArray("scores")).isNotSameAs(scores);
    }

    @Test
    void returnedArraysAreCopies() {
        GgufMetadata m = metadata();
        m.getStringArray("tokens")[0] = "changed";
        m.getIntArray("types")[0] = 99;
        assertThat(m.getStringArray("tokens")[0]).isEqualTo("a");
        assertThat(m.getIntArray("types")[0]).isEqualTo(1);
    }

    @Test
    void missingKeyNamesTheKeyAndTheExpectedType() {
        assertThatThrownBy(() -> metadata().getString("general.name"))
                .isInstanceOf(GgufFormatException.class)
                .hasMessage("metadata key 'general.name' is missing (expected STRING)");
        assertThatThrownBy(() -> metadata().getLong("x")).hasMessageContaining("'x' is missing");
        assertThatThrownBy(() -> metadata().getFloatArray("x")).hasMessageContaining("ARRAY of FLOAT32");
    }

    @Test
    void wrongTypeNamesKeyExpectedAndActual() {
        GgufMetadata m = metadata();
        assertThatThrownBy(() -> m.getString("llama.context_length"))
                .isInstanceOf(GgufFormatException.class)
                .hasMessage("metadata key 'llama.context_length' has type UINT32, expected STRING");
        assertThatThrownBy(() -> m.getLong("flag")).hasMessageContaining("has type BOOL, expected an integer");
        assertThatThrownBy(() -> m.getFloat("general.architecture")).hasMessageContaining("has type STRING");
        assertThatThrownBy(() -> m.findBool("neg")).hasMessageContaining("has type INT8, expected BOOL");
        assertThatThrownBy(() -> m.getStringArray("scores"))
                .hasMessageContaining("has type ARRAY of FLOAT32, expected ARRAY of STRING");
        assertThatThrownBy(() -> m.getFloatArray("general.architecture"))
                .hasMessageContaining("has type STRING, expected ARRAY of FLOAT32");
        assertThatThrownBy(() -> m.getIntArray("tokens"))
                .hasMessageContaining("has type ARRAY of STRING, expected ARRAY of integers");
    }

    @Test
    void valuesThatDoNotFitAreRejected() {
        GgufMetadata m = metadata();
        assertThatThrownBy(() -> m.getLong("big.u64"))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("18446744073709551615");
        assertThatThrownBy(() -> m.getIntArray("u32s.big"))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("element #0 value 4294967295 does not fit an int");
        assertThatThrownBy(() -> m.getIntArray("i64s.big")).hasMessageContaining("does not fit an int");
    }

    @Test
    void valuesRejectWrongRepresentationsAndRanges() {
        assertThatThrownBy(() -> new GgufValue(GgufValueType.STRING, 3L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GgufValue.uint8(256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GgufValue.uint32(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GgufArray(GgufValueType.INT32, new long[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GgufArray.ofStrings("a", null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(GgufValue.uint64(-1L).toString()).isEqualTo("UINT64:18446744073709551615");
    }

    @Test
    void arraysCompareByContent() {
        assertThat(GgufArray.ofInt32(1, 2)).isEqualTo(GgufArray.ofInt32(1, 2)).hasSameHashCodeAs(GgufArray.ofInt32(1, 2));
        assertThat(GgufArray.ofInt32(1, 2)).isNotEqualTo(GgufArray.ofUInt32(1, 2));
        assertThat(GgufArray.ofArrays(GgufArray.ofStrings("x"))).isEqualTo(GgufArray.ofArrays(GgufArray.ofStrings("x")));
        assertThat(GgufArray.ofFloats(1f, 2f).length()).isEqualTo(2);
    }
}
