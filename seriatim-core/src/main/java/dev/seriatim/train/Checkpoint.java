package dev.seriatim.train;

import dev.seriatim.io.gguf.GgufFile;
import dev.seriatim.io.gguf.GgufMetadata;
import dev.seriatim.io.gguf.GgufWriter;
import dev.seriatim.nn.AdamW;
import dev.seriatim.nn.Parameter;
import dev.seriatim.tensor.GgmlType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A training checkpoint is a GGUF file: the model exactly as {@link GgufExport} writes it in
 * F32 (so a checkpoint also loads in {@code seriatim generate}), plus the AdamW moments as
 * tensors {@code adam.m.NAME} and {@code adam.v.NAME}, and the step, the optimizer's step count
 * and the {@link TrainSettings} as {@code seriatim.train.*} keys. The data position and every
 * random draw follow from the seed and the step ({@link TrainingData}), so nothing else is needed
 * to continue exactly. Written atomically by {@link GgufWriter}.
 */
public final class Checkpoint {

    private static final String K = "seriatim.train.";

    /** A checkpoint read back: the model and optimizer restored, and where training stood. */
    public record State(GptModel model, AdamW optimizer, int step, TrainSettings settings, TokenizerKeys tokenizer,
            String dataFingerprint) {}

    private Checkpoint() {}

    public static void write(Path path, GptModel model, TokenizerKeys tokenizer, AdamW optimizer, int step,
            TrainSettings s, String dataFingerprint) throws IOException {
        GgufWriter w = GgufExport.writer(model, tokenizer, GgmlType.F32, "seriatim checkpoint at step " + step);
        w.putBool(K + "byte_level", tokenizer.byteLevel());
        w.putString(K + "data_fingerprint", dataFingerprint);
        w.putUInt32(K + "step", step);
        w.putString(K + "adam_steps", Long.toString(optimizer.steps()));
        w.putUInt32(K + "batch", s.batch());
        w.putUInt32(K + "accumulation", s.accumulation());
        w.putUInt32(K + "steps", s.steps());
        w.putFloat32(K + "lr", s.lr());
        w.putFloat32(K + "min_lr", s.minLr());
        w.putUInt32(K + "warmup", s.warmup());
        w.putFloat32(K + "weight_decay", s.weightDecay());
        w.putFloat32(K + "clip", s.clip());
        w.putUInt32(K + "eval_every", s.evalEvery());
        w.putUInt32(K + "eval_windows", s.evalWindows());
        w.putUInt32(K + "checkpoint_every", s.checkpointEvery());
        w.putString(K + "seed", Long.toString(s.seed()));
        List<Parameter> ps = optimizer.parameters();
        for (int i = 0; i < ps.size(); i++) {
            int[] shape = ps.get(i).tensor().shape();
            GgufExport.add(w, "adam.m." + ps.get(i).name(), GgmlType.F32, optimizer.firstMoments()[i], shape);
            GgufExport.add(w, "adam.v." + ps.get(i).name(), GgmlType.F32, optimizer.secondMoments()[i], shape);
        }
        w.write(path);
    }

    public static State read(Path path) throws IOException {
        try (GgufFile file = GgufFile.open(path)) {
            GgufMetadata m = file.metadata();
            if (m.findLong(K + "step").isEmpty()) {
                throw new IOException(path + " is not a Seriatim training checkpoint (no " + K + "step)");
            }
            GptConfig config = new GptConfig(
                    m.getStringList("tokenizer.ggml.tokens").size(),
                    (int) m.getLong("llama.embedding_length"),
                    (int) m.getLong("llama.block_count"),
                    (int) m.getLong("llama.attention.head_count"),
                    (int) m.getLong("llama.feed_forward_length"),
                    (int) m.getLong("llama.context_length"),
                    m.getFloat("llama.attention.layer_norm_rms_epsilon"),
                    m.getFloat("llama.rope.freq_base"),
                    file.tensor("output.weight").isEmpty());
            TrainSettings s = new TrainSettings(
                    (int) m.getLong(K + "batch"), (int) m.getLong(K + "accumulation"), (int) m.getLong(K + "steps"),
                    m.getFloat(K + "lr"), m.getFloat(K + "min_lr"), (int) m.getLong(K + "warmup"),
                    m.getFloat(K + "weight_decay"), m.getFloat(K + "clip"), (int) m.getLong(K + "eval_every"),
                    (int) m.getLong(K + "eval_windows"), (int) m.getLong(K + "checkpoint_every"),
                    Long.parseLong(m.getString(K + "seed")));
            GptModel model = GptModel.initialized(config, 0);
            AdamW optimizer = new AdamW(model.parameters(), GptTrainer.adamSettings(s));
            List<Parameter> ps = optimizer.parameters();
            for (int i = 0; i < ps.size(); i++) {
                Parameter p = ps.get(i);
                int n = p.tensor().size();
                copy(GgufExport.readF32(file, p.name(), n), p.tensor().data());
                copy(GgufExport.readF32(file, "adam.m." + p.name(), n), optimizer.firstMoments()[i]);
                copy(GgufExport.readF32(file, "adam.v." + p.name(), n), optimizer.secondMoments()[i]);
            }
            optimizer.restoreSteps(Long.parseLong(m.getString(K + "adam_steps")));
            TokenizerKeys tokenizer = TokenizerKeys.copiedFrom(m, m.findBool(K + "byte_level").orElse(true));
            return new State(model, optimizer, (int) m.getLong(K + "step"), s, tokenizer,
                    m.getString(K + "data_fingerprint"));
        } catch (RuntimeException e) {
            throw new IOException("cannot read checkpoint " + path + ": " + e.getMessage(), e);
        }
    }

    private static void copy(float[] from, float[] to) {
        System.arraycopy(from, 0, to, 0, to.length);
    }
}
