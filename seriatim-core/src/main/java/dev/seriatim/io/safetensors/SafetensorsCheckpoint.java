package dev.seriatim.io.safetensors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The safetensors files of a Hugging Face model folder seen as one set of named tensors: either
 * the shards an index file ({@code model.safetensors.index.json}, {@code weight_map}) lists, or
 * the folder's single {@code *.safetensors} file.
 *
 * <p>Shard names from the index must be plain file names inside the folder (no separators, no
 * {@code ..}), and every tensor the index maps must be in the shard it names, so a hostile index
 * cannot make us open files elsewhere or silently mix shards.
 */
public final class SafetensorsCheckpoint implements AutoCloseable {

    /** The index file name transformers writes for sharded checkpoints. */
    public static final String INDEX = "model.safetensors.index.json";

    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> fileOfTensor;
    /** Memory made from the tensors (see {@link #allocate}); created on first use. */
    private Arena derived;
    private boolean closed;

    private SafetensorsCheckpoint(List<SafetensorsFile> files, Map<String, SafetensorsFile> fileOfTensor) {
        this.files = files;
        this.fileOfTensor = fileOfTensor;
    }

    /**
     * Opens the checkpoint in {@code dir}.
     *
     * @throws SafetensorsFormatException if there is no safetensors file, the index is malformed,
     *                                    or a shard or a tensor disagrees with it
     */
    public static SafetensorsCheckpoint open(Path dir) throws IOException {
        Path index = dir.resolve(INDEX);
        List<SafetensorsFile> opened = new ArrayList<>();
        try {
            Map<String, SafetensorsFile> byTensor = new HashMap<>();
            if (Files.isRegularFile(index)) {
                Map<String, String> weightMap = readIndex(index);
                Map<String, SafetensorsFile> shards = new HashMap<>();
                for (String shard : new TreeSet<>(weightMap.values())) {
                    SafetensorsFile f = SafetensorsFile.open(dir.resolve(shard));
                    opened.add(f);
                    shards.put(shard, f);
                }
                for (Map.Entry<String, String> e : weightMap.entrySet()) {
                    SafetensorsFile f = shards.get(e.getValue());
                    if (f.tensor(e.getKey()).isEmpty()) {
                        throw new SafetensorsFormatException(INDEX + " maps tensor '" + SafetensorsHeader.shorten(e.getKey())
                                + "' to " + e.getValue() + ", which does not hold it");
                    }
                    byTensor.put(e.getKey(), f);
                }
            } else {
                List<Path> candidates;
                try (Stream<Path> s = Files.list(dir)) {
                    candidates = s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
                }
                if (candidates.size() != 1) {
                    throw new SafetensorsFormatException(dir + " has " + candidates.size()
                            + " .safetensors files and no " + INDEX + " (expected one file, or an index)");
                }
                SafetensorsFile f = SafetensorsFile.open(candidates.getFirst());
                opened.add(f);
                for (SafetensorsTensor t : f.tensors()) {
                    byTensor.put(t.name(), f);
                }
            }
            return new SafetensorsCheckpoint(List.copyOf(opened), Map.copyOf(byTensor));
        } catch (IOException | RuntimeException e) {
            opened.forEach(SafetensorsFile::close);
            throw e;
        }
    }

    private static Map<String, String> readIndex(Path index) throws IOException {
        JsonNode root;
        try {
            root = JsonMapper.builder().build().readTree(Files.readAllBytes(index));
        } catch (JacksonException e) {
            throw new SafetensorsFormatException(INDEX + " is not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new SafetensorsFormatException(INDEX + " has no weight_map object");
        }
        Map<String, String> out = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            JsonNode v = e.getValue();
            if (!v.isString() || !isPlainFileName(v.stringValue())) {
                throw new SafetensorsFormatException(INDEX + ": tensor '" + SafetensorsHeader.shorten(e.getKey())
                        + "' maps to " + SafetensorsHeader.shorten(String.valueOf(v)) + ", which is not a file name in the folder");
            }
            out.put(e.getKey(), v.stringValue());
        }
        return out;
    }

    private static boolean isPlainFileName(String s) {
        return !s.isEmpty() && !s.equals(".") && !s.equals("..") && s.indexOf('/') < 0 && s.indexOf('\\') < 0
                && s.indexOf('\0') < 0 && s.endsWith(".safetensors");
    }

    /** The tensor called {@code name}, if any shard holds it. */
    public Optional<SafetensorsTensor> tensor(String name) {
        SafetensorsFile f = fileOfTensor.get(name);
        return f == null ? Optional.empty() : f.tensor(name);
    }

    /** The bytes of tensor {@code t} from the shard holding it. */
    public MemorySegment data(SafetensorsTensor t) {
        return shardOf(t).data(t);
    }

    /** {@link SafetensorsFile#read} from the shard holding {@code t}. */
    public void read(SafetensorsTensor t, long from, MemorySegment dst) throws IOException {
        shardOf(t).read(t, from, dst);
    }

    private SafetensorsFile shardOf(SafetensorsTensor t) {
        SafetensorsFile f = fileOfTensor.get(t.name());
        if (f == null) {
            throw new IllegalArgumentException("tensor " + t + " is not in this checkpoint");
        }
        return f;
    }

    /** Every tensor name. */
    public java.util.Set<String> names() {
        return fileOfTensor.keySet();
    }

    /**
     * Zeroed memory that lives until this checkpoint is closed, for weights made from its tensors
     * (GPT-2's transposed Conv1D matrices): closing the model then frees them at once, where
     * automatic arenas waited for the garbage collector. The arena is shared, the kind the
     * shards' mappings use, so the kernels' segment reads see a single kind of session.
     */
    public synchronized MemorySegment allocate(long bytes, long alignment) {
        if (closed) {
            throw new IllegalStateException("the checkpoint is closed");
        }
        if (derived == null) {
            derived = Arena.ofShared();
        }
        return derived.allocate(bytes, alignment);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            files.forEach(SafetensorsFile::close);
        } finally {
            if (derived != null) {
                derived.close();
            }
        }
    }
}
