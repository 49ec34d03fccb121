package dev.seriatim.app;

import dev.seriatim.io.gguf.GgufFile;
import dev.seriatim.io.gguf.GgufMetadata;
import dev.seriatim.tensor.GgmlType;
import dev.seriatim.tensor.Parallel;
import dev.seriatim.train.ByteVocabulary;
import dev.seriatim.train.Checkpoint;
import dev.seriatim.train.GgufExport;
import dev.seriatim.train.GptConfig;
import dev.seriatim.train.GptModel;
import dev.seriatim.train.GptTrainer;
import dev.seriatim.train.TokenizerKeys;
import dev.seriatim.train.TrainSettings;
import dev.seriatim.train.TrainingData;
import dev.seriatim.text.GgufTokenizerSpec;
import dev.seriatim.text.tokenizer.Tokenizer;
import dev.seriatim.text.tokenizer.Tokenizers;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seriatim train gpt}: trains a llama-style byte-level GPT on a text file and exports a
 * {@code llama} GGUF. Next to the output it writes NAME.ckpt.gguf (checkpoint), NAME.csv (every
 * step) and NAME.png (loss curve). Ctrl-C stops after the current step with a checkpoint.
 */
@Command(name = "gpt", mixinStandardHelpOptions = true,
        description = {"Train a llama-style GPT (RMSNorm, RoPE, SwiGLU, no biases) on a text file, byte-level by default.",
                "Writes OUT (GGUF), and next to it OUT-NAME.ckpt.gguf, .csv (loss log) and .png (loss curve)."})
final class TrainGptCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Training text; the last 10%% is held out for validation.")
    Path data;

    @Option(names = "--tokenizer", paramLabel = "byte|MODEL.gguf", defaultValue = "byte",
            description = "byte (default): one token per byte; or a GGUF model whose tokenizer and vocabulary to use.")
    String tokenizer;

    @Option(names = "--layers", defaultValue = "4", description = "Transformer blocks (default ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--heads", defaultValue = "4", description = "Attention heads (default ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--dim", defaultValue = "128", description = "Embedding width (default ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--ffn", description = "SwiGLU hidden width (default 8/3 dim rounded up to 32).")
    Integer ffn;

    @Option(names = "--context", defaultValue = "128", description = "Sequence length (default ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--untied", description = "Separate output projection instead of reusing the token embedding.")
    boolean untied;

    @Option(names = "--batch", defaultValue = "32", description = "Sequences per micro-batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--accumulate", defaultValue = "1", description = "Micro-batches per update (default ${DEFAULT-VALUE}).")
    int accumulate;

    @Option(names = "--steps", description = "Updates to run.")
    Integer steps;

    @Option(names = "--minutes", description = "Instead of --steps: as many updates as fit, estimated from two timed steps.")
    Double minutes;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate (default ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--min-lr", description = "Final learning rate of the cosine decay (default lr/10).")
    Float minLr;

    @Option(names = "--warmup", description = "Warm-up steps (default 10%% of the steps, at most 500).")
    Integer warmup;

    @Option(names = "--weight-decay", defaultValue = "0.1", description = "AdamW decoupled weight decay (default ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(names = "--clip", defaultValue = "1.0", description = "Global gradient norm clip, 0 for none (default ${DEFAULT-VALUE}).")
    float clip;

    @Option(names = "--eval-every", defaultValue = "0", description = "Validate every N steps (default: only at the end).")
    int evalEvery;

    @Option(names = "--eval-windows", defaultValue = "16", description = "Validation windows per evaluation during training (default ${DEFAULT-VALUE}).")
    int evalWindows;

    @Option(names = "--checkpoint-every", defaultValue = "0", description = "Checkpoint every N steps (default: only at the end).")
    int checkpointEvery;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the initial weights and of the batches (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-t", "--threads"}, description = "Worker threads (default: number of cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--type", defaultValue = "F32", description = "Weight type of the exported matrices: F32, F16, BF16, Q8_0, Q4_0 (default ${DEFAULT-VALUE}).")
    GgmlType type;

    @Option(names = "--out", required = true, paramLabel = "FILE.gguf", description = "The trained model.")
    Path out;

    @Option(names = "--resume", paramLabel = "CKPT", description = "Continue the run saved in this checkpoint (model and training options come from it).")
    Path resume;

    @Option(names = "--write-reference", hidden = true, paramLabel = "DIR",
            description = "Also write the initial weights and every batch to DIR for tools/reference/train_gpt.py.")
    Path referenceDir;

    @Option(names = "--verbose", description = "Show the stack trace when something fails.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || threads > 1024) {
            throw new InputException("--threads must be between 1 and 1024, got " + threads);
        }
        byte[] bytes = readData(requireFile(data, "--data"));
        Checkpoint.State saved = resume != null ? Checkpoint.read(requireFile(resume, "--resume")) : null;
        TokenizerKeys vocabulary = saved != null ? saved.tokenizer() : vocabulary();
        TrainingData split = new TrainingData(tokenize(bytes, vocabulary), 0.1);
        String base = out.getFileName().toString().replaceFirst("\\.gguf$", "");
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path ckpt = dir.resolve(base + ".ckpt.gguf");
        Path csv = dir.resolve(base + ".csv");
        Path png = dir.resolve(base + ".png");
        Path heldOut = dir.resolve(base + ".heldout.txt");
        PrintWriter console = spec.commandLine().getOut();
        try (Parallel parallel = threads == 1 ? Parallel.serial() : new Parallel(threads)) {
            GptTrainer trainer = saved != null
                    ? GptTrainer.resume(saved, split, parallel)
                    : fresh(split, vocabulary, parallel, console);
            TrainSettings s = trainer.settings();
            GptConfig c = trainer.model().config();
            if (c.dim() % type.blockSize() != 0 || c.ffnDim() % type.blockSize() != 0) {
                // found now rather than after the run, when the export would fail
                throw new InputException("--type " + type + " stores rows in blocks of " + type.blockSize()
                        + " values; --dim " + c.dim() + " and the SwiGLU width " + c.ffnDim() + " must be multiples of it");
            }
            if (split.train().length <= c.context()) {
                throw new InputException("--data has " + split.train().length + " training tokens; need more than the context "
                        + c.context());
            }
            console.printf(Locale.ROOT, "model: %d layers, %d heads, dim %d, ffn %d, context %d, %s embeddings, %,d parameters%n",
                    c.layers(), c.heads(), c.dim(), c.ffnDim(), c.context(), c.tiedEmbeddings() ? "tied" : "untied",
                    trainer.model().parameterCount());
            console.printf(Locale.ROOT, "data: %,d training and %,d validation tokens; %d steps of %d x %d x %d tokens%s%n",
                    split.train().length, split.validation().length, s.steps(), s.accumulation(), s.batch(), c.context(),
                    trainer.step() > 0 ? ", resuming at step " + trainer.step() : "");
            console.flush();
            if (referenceDir != null) {
                dev.seriatim.train.ReferenceBundle.write(referenceDir, trainer, split);
            }
            // registered last before the try whose finally releases and removes it, so that a
            // failure cannot leave a hook that would hold up the JVM's exit
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch finished = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                stop.set(true); // Ctrl-C: let the loop finish its step and write the checkpoint
                try {
                    finished.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            boolean terminal = System.console() != null && System.console().isTerminal();
            try (TrainingProgress progress = new TrainingProgress(console, terminal, trainer.step(), s.steps(), csv)) {
                trainer.run(progress, stop::get, ckpt);
                progress.finishLine();
                if (stop.get() && trainer.step() < s.steps()) {
                    console.println("interrupted at step " + trainer.step() + "; continue with --resume " + ckpt);
                    console.flush();
                    LossChart.write(png, base, progress.trainLosses, progress.validationLosses);
                    return 130;
                }
                double validation = trainer.validationLoss(Integer.MAX_VALUE);
                progress.onValidation(trainer.step(), validation);
                LossChart.write(png, base, progress.trainLosses, progress.validationLosses);
                GgufExport.write(trainer.model(), trainer.tokenizer(), type, base, out);
                if (trainer.tokenizer().byteLevel()) {
                    // the held-out bytes, so that `seriatim score --file` can check the number below
                    Files.write(heldOut, java.util.Arrays.copyOfRange(bytes, split.train().length, bytes.length));
                }
                String unit = trainer.tokenizer().byteLevel() ? "byte" : "token";
                console.printf(Locale.ROOT, "validation loss %.4f nats/%s (%.4f bits/%s) over %,d held-out %ss%n",
                        validation, unit, validation / Math.log(2), unit, split.validation().length, unit);
                console.printf("wrote %s, %s, %s, %s%s%n", out, ckpt, csv, png,
                        trainer.tokenizer().byteLevel() ? ", " + heldOut : "");
            } finally {
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it has been told we are done
                }
            }
        }
        return 0;
    }

    /** The byte vocabulary, or the tokenizer keys of the --tokenizer model. */
    private TokenizerKeys vocabulary() throws java.io.IOException {
        if (tokenizer.equals("byte")) {
            return TokenizerKeys.bytes();
        }
        try (GgufFile file = GgufFile.open(requireFile(Path.of(tokenizer), "--tokenizer"))) {
            return TokenizerKeys.copiedFrom(file.metadata(), false);
        }
    }

    /** Raw bytes as ids for the byte vocabulary; otherwise the text encoded by the vocabulary's tokenizer (no BOS). */
    private static int[] tokenize(byte[] bytes, TokenizerKeys vocabulary) {
        if (vocabulary.byteLevel()) {
            return ByteVocabulary.ids(bytes, 0, bytes.length);
        }
        Tokenizer t = Tokenizers.from(GgufTokenizerSpec.read(GgufMetadata.of(vocabulary.entries())));
        return t.encode(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    }

    private GptTrainer fresh(TrainingData split, TokenizerKeys vocabulary, Parallel parallel, PrintWriter console) {
        GptConfig c;
        try {
            GptConfig d = GptConfig.llamaStyle(vocabulary.size(), dim, layers, heads, context, !untied);
            c = new GptConfig(d.vocabSize(), dim, layers, heads, ffn != null ? ffn : d.ffnDim(), context, d.normEps(),
                    d.ropeTheta(), !untied);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
        if ((steps == null) == (minutes == null)) {
            throw new InputException("give exactly one of --steps N and --minutes M");
        }
        int n = steps != null ? steps : 1;
        TrainSettings s = settings(n);
        if (minutes != null) {
            n = estimateSteps(c, split, s, parallel, minutes);
            console.printf(Locale.ROOT, "%.1f minutes: about %d steps (pass --steps %d to repeat this run exactly)%n",
                    minutes, n, n);
            s = settings(n);
        }
        return new GptTrainer(GptModel.initialized(c, seed), split, s, parallel, vocabulary);
    }

    private TrainSettings settings(int n) {
        try {
            return new TrainSettings(batch, accumulate, n, lr, minLr != null ? minLr : lr / 10,
                    warmup != null ? warmup : Math.min(500, Math.max(1, n / 10)), weightDecay, clip, evalEvery,
                    evalWindows, checkpointEvery, seed);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
    }

    /** Times two steps of a throwaway copy (the first warms the JIT) and fits the count to the budget. */
    private static int estimateSteps(GptConfig c, TrainingData split, TrainSettings s, Parallel parallel, double minutes) {
        if (!(minutes > 0)) {
            throw new InputException("--minutes must be positive, got " + minutes);
        }
        GptTrainer probe = new GptTrainer(GptModel.initialized(c, 0), split, s.withSteps(3), parallel);
        probe.trainStep();
        double seconds = probe.trainStep().seconds();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, minutes * 60 / seconds));
    }

    /** The file's bytes, gunzipped when its name ends in .gz (the shipped corpus is compressed). */
    private static byte[] readData(Path p) throws java.io.IOException {
        if (!p.getFileName().toString().endsWith(".gz")) {
            return Files.readAllBytes(p);
        }
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(p))) {
            return in.readAllBytes();
        } catch (java.util.zip.ZipException e) {
            throw new InputException("--data " + p + " is not valid gzip: " + e.getMessage());
        }
    }

    private static Path requireFile(Path p, String option) {
        if (!Files.isRegularFile(p)) {
            throw new InputException(option + ": file not found: " + p);
        }
        if (!Files.isReadable(p)) {
            throw new InputException(option + ": file is not readable: " + p);
        }
        return p;
    }

}
