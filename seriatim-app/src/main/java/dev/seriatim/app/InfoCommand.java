package dev.seriatim.app;

import dev.seriatim.io.gguf.GgufFile;
import dev.seriatim.io.safetensors.SafetensorsCheckpoint;
import dev.seriatim.io.safetensors.SafetensorsTensor;
import dev.seriatim.text.hf.HfConfig;
import dev.seriatim.text.hf.HfModelFolder;
import dev.seriatim.io.gguf.GgufTensorInfo;
import dev.seriatim.text.GgufTokenizerSpec;
import dev.seriatim.text.tokenizer.TokenizerSpec;
import dev.seriatim.text.transformer.TransformerConfig;
import dev.seriatim.text.transformer.TransformerLoader;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.node.ObjectNode;

/** Describes a model file without running it. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show a model's architecture, hyperparameters, tensors and vocabulary.")
final class InfoCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (java.nio.file.Files.isDirectory(options.modelPath())) {
            return folder(options.modelPath());
        }
        try (GgufFile file = GgufFile.open(options.modelPath())) {
            TransformerConfig c = TransformerLoader.config(file);
            TokenizerSpec tok = GgufTokenizerSpec.read(file.metadata());
            Map<String, Long> types = new TreeMap<>();
            long params = 0;
            for (GgufTensorInfo t : file.tensors()) {
                types.merge(t.type().name(), 1L, Long::sum);
                params += t.elementCount();
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectNode o = Json.object();
                o.put("file", file.path().toString());
                o.put("file_size", file.fileSize());
                o.put("gguf_version", file.version());
                o.put("architecture", c.architecture().ggufName());
                file.metadata().findString("general.name").ifPresent(n -> o.put("name", n));
                o.put("embedding_length", c.dim());
                o.put("block_count", c.layers());
                o.put("head_count", c.heads());
                o.put("head_count_kv", c.kvHeads());
                o.put("head_dim", c.headDim());
                o.put("feed_forward_length", c.ffnDim());
                o.put("context_length", c.contextLength());
                o.put("vocab_size", c.vocabSize());
                o.put("norm_epsilon", c.normEps());
                o.put("rope_freq_base", c.ropeTheta());
                o.put("rope_dimension_count", c.ropeDim());
                o.put("rope_pairs", ropePairs(c));
                o.put("tied_output", c.tiedOutput());
                o.put("tensor_count", file.tensors().size());
                ObjectNode typeNode = o.putObject("tensor_types");
                types.forEach(typeNode::put);
                o.put("parameter_count", params);
                ObjectNode t = o.putObject("tokenizer");
                t.put("model", tok.model());
                t.put("pre", tok.pre());
                t.put("tokens", tok.vocabSize());
                t.put("bos_token_id", tok.bosId());
                t.put("eos_token_id", tok.eosId());
                t.put("unknown_token_id", tok.unkId());
                t.put("padding_token_id", tok.padId());
                t.put("add_bos_token", tok.addBos());
                out.println(Json.write(o));
            } else {
                out.printf(Locale.ROOT, "file:             %s (%s)%n", file.path(), Sizes.bytes(file.fileSize()));
                file.metadata().findString("general.name").ifPresent(n -> out.printf(Locale.ROOT, "name:             %s%n", n));
                out.printf(Locale.ROOT, "architecture:     %s (GGUF v%d)%n", c.architecture().ggufName(), file.version());
                out.printf(Locale.ROOT, "parameters:       %,d (%s)%n", params, Sizes.count(params));
                out.printf(Locale.ROOT, "embedding:        %d, %d layers, %d heads (%d kv heads, head size %d)%n",
                        c.dim(), c.layers(), c.heads(), c.kvHeads(), c.headDim());
                out.printf(Locale.ROOT, "feed-forward:     %d%n", c.ffnDim());
                out.printf(Locale.ROOT, "context length:   %d%n", c.contextLength());
                out.printf(Locale.ROOT, "norm epsilon:     %g%n", c.normEps());
                printRope(out, c);
                out.printf(Locale.ROOT, "output:           %s%n", c.tiedOutput() ? "tied to the token embedding" : "separate matrix");
                out.printf(Locale.ROOT, "tensors:          %d %s%n", file.tensors().size(), types);
                out.printf(Locale.ROOT, "vocabulary:       %d tokens (%s%s)%n", tok.vocabSize(), tok.model(),
                        tok.pre() == null ? "" : ", pre " + tok.pre());
                out.printf(Locale.ROOT, "special tokens:   bos %s, eos %s, unk %s, pad %s; add bos: %s%n",
                        special(tok, tok.bosId()), special(tok, tok.eosId()), special(tok, tok.unkId()),
                        special(tok, tok.padId()), tok.addBos());
            }
            out.flush();
        }
        return 0;
    }

    /** A Hugging Face folder: config, tensor dtypes and parameter count, tokenizer. */
    private int folder(java.nio.file.Path dir) throws Exception {
        HfConfig hf = HfModelFolder.readConfig(dir);
        TransformerConfig c = hf.config();
        TokenizerSpec tok = HfModelFolder.readTokenizer(dir).spec();
        Map<String, Long> types = new TreeMap<>();
        long params = 0;
        int count;
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(dir)) {
            count = ckpt.names().size();
            for (String name : ckpt.names()) {
                SafetensorsTensor t = ckpt.tensor(name).orElseThrow();
                types.merge(t.dtype().name(), 1L, Long::sum);
                params += t.elementCount();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode o = Json.object();
            o.put("folder", dir.toString());
            o.put("hf_architecture", hf.hfArchitecture());
            o.put("architecture", c.architecture().ggufName());
            o.put("embedding_length", c.dim());
            o.put("block_count", c.layers());
            o.put("head_count", c.heads());
            o.put("head_count_kv", c.kvHeads());
            o.put("head_dim", c.headDim());
            o.put("feed_forward_length", c.ffnDim());
            o.put("context_length", c.contextLength());
            o.put("vocab_size", c.vocabSize());
            if (c.ropeDim() > 0) {
                o.put("rope_freq_base", c.ropeTheta());
                o.put("rope_dimension_count", c.ropeDim());
            }
            o.put("rope_pairs", ropePairs(c));
            o.put("tied_output", c.tiedOutput());
            o.put("tensor_count", count);
            ObjectNode typeNode = o.putObject("tensor_types");
            types.forEach(typeNode::put);
            o.put("parameter_count", params);
            ObjectNode t = o.putObject("tokenizer");
            t.put("model", tok.model());
            t.put("pre", tok.pre());
            t.put("tokens", tok.vocabSize());
            t.put("bos_token_id", tok.bosId());
            t.put("eos_token_id", tok.eosId());
            t.put("add_bos_token", tok.addBos());
            out.println(Json.write(o));
        } else {
            out.printf(Locale.ROOT, "folder:           %s%n", dir);
            out.printf(Locale.ROOT, "architecture:     %s (%s)%n", c.architecture().ggufName(), hf.hfArchitecture());
            out.printf(Locale.ROOT, "parameters:       %,d (%s)%n", params, Sizes.count(params));
            out.printf(Locale.ROOT, "embedding:        %d, %d layers, %d heads (%d kv heads, head size %d)%n",
                    c.dim(), c.layers(), c.heads(), c.kvHeads(), c.headDim());
            out.printf(Locale.ROOT, "feed-forward:     %d%n", c.ffnDim());
            out.printf(Locale.ROOT, "context length:   %d%n", c.contextLength());
            printRope(out, c);
            out.printf(Locale.ROOT, "tensors:          %d %s%n", count, types);
            out.printf(Locale.ROOT, "vocabulary:       %d tokens (%s%s)%n", tok.vocabSize(), tok.model(),
                    tok.pre() == null ? "" : ", pre " + tok.pre());
            out.printf(Locale.ROOT, "special tokens:   bos %s, eos %s; add bos: %s%n",
                    special(tok, tok.bosId()), special(tok, tok.eosId()), tok.addBos());
        }
        out.flush();
        return 0;
    }

    private static String special(TokenizerSpec tok, int id) {
        return id < 0 || id >= tok.vocabSize() ? "none" : id + " " + Sizes.quote(tok.tokens().get(id));
    }

    private static void printRope(PrintWriter out, TransformerConfig c) {
        if (c.ropeDim() > 0) {
            out.printf(Locale.ROOT, "rope:             base %.1f, %d dims, %s%n", c.ropeTheta(), c.ropeDim(),
                    ropePairs(c).replace('_', ' '));
        }
    }

    /**
     * Which dimensions RoPE rotates together: a llama GGUF file's adjacent pairs, or the split
     * halves of qwen2 and of Hugging Face folders (the same model, its q and k rows permuted).
     */
    private static String ropePairs(TransformerConfig c) {
        return switch (c.rope()) {
            case INTERLEAVED -> "adjacent_pairs";
            case SPLIT_HALF -> "split_halves";
            case NONE -> "none";
        };
    }
}
