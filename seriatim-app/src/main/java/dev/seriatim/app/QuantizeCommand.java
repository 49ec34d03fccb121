package dev.seriatim.app;

import dev.seriatim.io.gguf.GgufFile;
import dev.seriatim.quant.ModelQuantizer;
import dev.seriatim.quant.ModelQuantizer.TensorReport;
import dev.seriatim.quant.QuantizationPlan;
import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.Parallel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Re-quantizes a GGUF model into another weight type. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Re-quantize a GGUF model: matrices get the chosen type, norms and biases stay F32,",
                "all metadata is copied. Matrices whose rows do not fit the type's block fall back as in llama.cpp",
                "(Q4_K to Q5_0, Q5_K to Q5_1, Q6_K to Q8_0, else F16; each one is named). q4_k_m is llama.cpp's mix: Q4_K, with Q6_K for the output and for attn_v and",
                "ffn_down in some layers."})
final class QuantizeCommand implements Callable<Integer> {

    @Option(names = "--in", required = true, paramLabel = "FILE", description = "Input GGUF model (any supported type).")
    Path in;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE", description = "Output GGUF file (written atomically).")
    Path out;

    @Option(names = "--type", required = true, paramLabel = "TYPE",
            description = "q8_0, q4_0, q4_1, q5_0, q5_1, q4_k, q4_k_m, q5_k, q6_k, f16, bf16 or f32.")
    String type;

    @Option(names = "--keep-output", description = "Keep output.weight in its input type.")
    boolean keepOutput;

    @Option(names = "--keep-embedding", description = "Keep token_embd.weight in its input type.")
    boolean keepEmbedding;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Threads encoding rows (default: number of cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--verbose", description = "List every tensor, and show the stack trace when something fails.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        QuantizationPlan plan;
        try {
            plan = QuantizationPlan.parse(type, keepOutput, keepEmbedding);
        } catch (IllegalArgumentException e) {
            throw new InputException("--type: " + e.getMessage());
        }
        if (threads < 1 || threads > 1024) {
            throw new InputException("--threads must be between 1 and 1024, got " + threads);
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new InputException("--out: directory does not exist: " + parent);
        }
        if (Files.exists(out) && Files.exists(in) && Files.isSameFile(in, out)) {
            throw new InputException("--out must not be the input file: " + out);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        List<TensorReport> reports;
        try (GgufFile file = GgufFile.open(in); Parallel parallel = new Parallel(threads)) {
            reports = ModelQuantizer.quantize(file, plan, out, parallel, r -> {
                if (r.note() != null && !r.note().equals("kept")) {
                    stdout.printf(Locale.ROOT, "%s: %s (%s instead)%n", r.name(), r.note(), r.to());
                } else if (verbose) {
                    stdout.printf(Locale.ROOT, "%s: %s -> %s%s%n", r.name(), r.from(), r.to(), r.note() == null ? "" : " (kept)");
                }
                stdout.flush();
            });
        }
        Map<GgmlType, Integer> counts = new TreeMap<>();
        for (TensorReport r : reports) {
            counts.merge(r.to(), 1, Integer::sum);
        }
        StringBuilder mix = new StringBuilder();
        counts.forEach((t, n) -> mix.append(mix.isEmpty() ? "" : ", ").append(n).append(' ').append(t));
        stdout.printf(Locale.ROOT, "wrote %s (%s, %s -> %s; tensors: %s)%n", out, Sizes.bytes(Files.size(out)),
                Sizes.bytes(Files.size(in)), type.toLowerCase(Locale.ROOT), mix);
        stdout.flush();
        return 0;
    }
}
