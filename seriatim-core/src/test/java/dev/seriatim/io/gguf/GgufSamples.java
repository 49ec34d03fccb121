package dev.seriatim.io.gguf;

import dev.seriatim.tensor.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

/** Sample GGUF content shared by the round-trip and fuzz tests. */
final class GgufSamples {

    private GgufSamples() {}

    /** Random bytes of the right size for a tensor of {@code type} and {@code shape}. */
    static byte[] tensorBytes(Random random, GgmlType type, long... shape) {
        long elements = 1;
        for (long d : shape) {
            elements *= d;
        }
        byte[] data = new byte[(int) type.bytesFor(elements)];
        random.nextBytes(data);
        return data;
    }

    /** One value of every scalar type, arrays of every element type, nested and empty arrays. */
    static GgufWriter everyValueType(GgufWriter w) {
        return w.putString("general.architecture", "llama")
                .put("t.u8", GgufValue.uint8(200))
                .put("t.i8", GgufValue.int8(-5))
                .put("t.u16", GgufValue.uint16(60000))
                .put("t.i16", GgufValue.int16(-300))
                .putUInt32("t.u32", 4_000_000_000L)
                .putInt32("t.i32", -7)
                .putFloat32("t.f32", 1.5f)
                .put("t.f32.nan", GgufValue.float32(Float.NaN))
                .putBool("t.bool.true", true)
                .putBool("t.bool.false", false)
                .putString("t.empty", "")
                .putString("t.unicode", "héllo wörld 日本語 🌍 \u0000 tab\t")
                .put("t.u64", GgufValue.uint64(0xFFFF_FFFF_FFFF_FFFFL))
                .put("t.i64", GgufValue.int64(Long.MIN_VALUE))
                .put("t.f64", GgufValue.float64(-2.5e-300))
                .put("a.u8", arr(GgufValueType.UINT8, new byte[] {0, 1, (byte) 255}))
                .put("a.i8", arr(GgufValueType.INT8, new byte[] {-128, 0, 127}))
                .put("a.u16", arr(GgufValueType.UINT16, new short[] {0, (short) 65535}))
                .put("a.i16", arr(GgufValueType.INT16, new short[] {-32768, 32767}))
                .put("a.u32", arr(GgufValueType.UINT32, new int[] {0, -1}))
                .putInt32s("a.i32", new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE})
                .put("a.u64", arr(GgufValueType.UINT64, new long[] {0, -1L}))
                .put("a.i64", arr(GgufValueType.INT64, new long[] {Long.MIN_VALUE, Long.MAX_VALUE}))
                .putFloats("a.f32", new float[] {0f, -0f, Float.POSITIVE_INFINITY, 3.25f})
                .put("a.f64", arr(GgufValueType.FLOAT64, new double[] {Math.PI, -0.0}))
                .put("a.bool", arr(GgufValueType.BOOL, new boolean[] {true, false, true}))
                .putStrings("a.string", "", "a", "ünï", "<0x0A>", "🌍🌍")
                .putStrings("a.empty")
                .put("a.nested", GgufValue.array(GgufArray.ofArrays(
                        GgufArray.ofInt32(1, 2, 3),
                        GgufArray.ofInt32(),
                        GgufArray.ofArrays(GgufArray.ofStrings("deep", ""), GgufArray.ofFloats()))))
                .put("a.nested.empty", GgufValue.array(GgufArray.ofArrays()));
    }

    /** A few tensors of F32, F16, Q8_0 and Q4_0. */
    static GgufWriter someTensors(GgufWriter w, Random random) {
        return w.addTensor("token_embd.weight", GgmlType.F32, new long[] {8, 3},
                        tensorBytes(random, GgmlType.F32, 8, 3))
                .addTensor("blk.0.attn_norm.weight", GgmlType.F16, new long[] {16},
                        tensorBytes(random, GgmlType.F16, 16))
                .addTensor("blk.0.attn_q.weight", GgmlType.Q8_0, new long[] {64, 2},
                        tensorBytes(random, GgmlType.Q8_0, 64, 2))
                .addTensor("blk.0.ffn_up.weight", GgmlType.Q4_0, new long[] {32, 3, 2},
                        tensorBytes(random, GgmlType.Q4_0, 32, 3, 2))
                .addTensor("output.weight", GgmlType.F32, new long[] {1, 1, 1, 5},
                        tensorBytes(random, GgmlType.F32, 1, 1, 1, 5));
    }

    private static GgufValue arr(GgufValueType type, Object values) {
        return GgufValue.array(new GgufArray(type, values));
    }

    /**
     * Touches everything a caller could: every metadata value through its typed getter, the
     * architecture, and every byte of every tensor. Returns a checksum so nothing is optimised away.
     */
    static long walk(GgufFile file) {
        long sum = file.version() + file.alignment() + file.dataOffset() + file.fileSize();
        GgufMetadata m = file.metadata();
        for (String key : m.keys()) {
            GgufValue v = m.get(key).orElseThrow();
            sum += switch (v.type()) {
                case STRING -> m.getString(key).length();
                case BOOL -> m.findBool(key).orElseThrow() ? 1 : 0;
                case FLOAT32, FLOAT64 -> (long) m.getFloat(key);
                case UINT64 -> (Long) v.value();
                case ARRAY -> walkArray((GgufArray) v.value());
                default -> m.getLong(key);
            };
        }
        m.findString("general.architecture").ifPresent(a -> file.architecture());
        for (GgufTensorInfo t : file.tensors()) {
            MemorySegment data = file.data(t);
            sum += t.elementCount() + file.tensor(t.name()).orElseThrow().byteSize();
            for (long i = 0; i < data.byteSize(); i++) {
                sum += data.get(ValueLayout.JAVA_BYTE, i);
            }
        }
        return sum;
    }

    private static long walkArray(GgufArray a) {
        long sum = a.length();
        if (a.values() instanceof GgufArray[] nested) {
            for (GgufArray n : nested) {
                sum += walkArray(n);
            }
        }
        return sum + a.hashCode();
    }
}
