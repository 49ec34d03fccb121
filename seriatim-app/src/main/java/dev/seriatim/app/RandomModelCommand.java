package dev.seriatim.app;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.text.transformer.Architecture;
import dev.seriatim.text.transformer.RandomModelWriter;
import dev.seriatim.text.transformer.TransformerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes a random-weight model of a well-known shape, for benchmarks and experiments. */
@Command(name = "random-model", mixinStandardHelpOptions = true,
        description = {"Write a GGUF model with random weights in the shape of a known model (for benchmarks).",
                "Presets: tiny (dim 64, 2 layers), stories15m (288, 6 layers), stories110m (768, 12 layers, vocab 32000),",
                "llama-1b (the Llama-3.2-1B shape: 2048, 16 layers, 32 heads, 8 kv heads, vocab 128256)."})
final class RandomModelCommand implements Callable<Integer> {

    enum Preset { TINY, STORIES15M, STORIES110M, LLAMA_1B }

    @Option(names = "--preset", paramLabel = "NAME", description = "tiny, stories15m, stories110m or llama-1b (default ${DEFAULT-VALUE}).",
            converter = PresetConverter.class)
    Preset preset = Preset.STORIES110M;

    @Option(names = "--arch", paramLabel = "ARCH", description = "llama, qwen2 or gpt2 (default ${DEFAULT-VALUE}).")
    String arch = "llama";

    @Option(names = "--type", paramLabel = "TYPE", description = {"Weight type: f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1, q4_k, q5_k or q6_k (default ${DEFAULT-VALUE}).",
            "K-quant matrices whose rows are not a multiple of 256 fall back to Q5_0 / Q5_1 / Q8_0 as in seriatim quantize."})
    String type = "q8_0";

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--init-std", paramLabel = "S", description = "Standard deviation of the random weights (default ${DEFAULT-VALUE}, as GPT-2).")
    double initStd = 0.02;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE", description = "Output GGUF file.")
    Path out;

    @Option(names = "--verbose", description = "Show the stack trace when something fails.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        GgmlType t;
        try {
            t = GgmlType.valueOf(type.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InputException("--type: unknown weight type '" + type + "' (expected f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1, q4_k, q5_k or q6_k)");
        }
        if (!t.computable()) {
            throw new InputException("--type: " + type + " cannot be written yet (expected f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1, q4_k, q5_k or q6_k)");
        }
        Architecture a = Architecture.fromGguf(arch.toLowerCase(Locale.ROOT));
        TransformerConfig config = config(preset, a);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new InputException("--out: directory does not exist: " + parent);
        }
        if (!(initStd > 0) || Double.isInfinite(initStd)) {
            throw new InputException("--init-std must be a positive number, got " + initStd);
        }
        RandomModelWriter.write(config, t, seed, initStd, out);
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%s, %s %s)%n", out, Sizes.bytes(Files.size(out)),
                preset.name().toLowerCase(Locale.ROOT).replace('_', '-'), t.name());
        spec.commandLine().getOut().flush();
        return 0;
    }

    static TransformerConfig config(Preset p, Architecture a) {
        boolean rope = a.rope() != Architecture.Rope.NONE;
        boolean tied = a == Architecture.GPT2;
        return switch (p) {
            case TINY -> new TransformerConfig(a, 64, 2, 4, a == Architecture.GPT2 ? 4 : 2, 16, 192, 512, 256,
                    1e-5f, 10000f, rope ? 16 : 0, 1f, tied);
            case STORIES15M -> new TransformerConfig(a, 288, 6, 6, 6, 48, 768, 32000, 256,
                    1e-5f, 10000f, rope ? 48 : 0, 1f, tied);
            case STORIES110M -> new TransformerConfig(a, 768, 12, 12, 12, 64, 2048, 32000, 1024,
                    1e-5f, 10000f, rope ? 64 : 0, 1f, tied);
            case LLAMA_1B -> new TransformerConfig(a, 2048, 16, 32, a == Architecture.GPT2 ? 32 : 8, 64, 8192, 128256, 8192,
                    1e-5f, 500000f, rope ? 64 : 0, 1f, true);
        };
    }

    static final class PresetConverter implements picocli.CommandLine.ITypeConverter<Preset> {
        @Override
        public Preset convert(String value) {
            try {
                return Preset.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("unknown preset '" + value
                        + "' (expected tiny, stories15m, stories110m or llama-1b)");
            }
        }
    }
}
