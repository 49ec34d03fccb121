package dev.seriatim.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The model commands use when no {@code --model} is given: a small byte-level GPT trained on
 * the King James Bible, shipped inside the jar. It is memory-mapped like any model, so on
 * first use it is copied out of the jar into the user's cache directory.
 */
final class DefaultModel {

    /** Resource name; the file name carries the training run so a new model gets a new cache file. */
    static final String RESOURCE = "/models/kjv-byte-6x192-q8_0.gguf";

    private DefaultModel() {
    }

    static Path path() {
        Path target = cacheDir().resolve(RESOURCE.substring(RESOURCE.lastIndexOf('/') + 1));
        try (InputStream in = DefaultModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new InputException("no model given and this build has no embedded default model: pass --model FILE.gguf");
            }
            byte[] bytes = in.readAllBytes();
            if (Files.isRegularFile(target) && Files.size(target) == bytes.length) {
                return target;
            }
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), ".default-model", ".tmp");
            try {
                Files.write(temp, bytes);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the default model to " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * The seriatim.cache system property, else $SERIATIM_CACHE, else $XDG_CACHE_HOME/seriatim,
     * else ~/.cache/seriatim, else the temp dir.
     */
    private static Path cacheDir() {
        String property = System.getProperty("seriatim.cache");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String explicit = System.getenv("SERIATIM_CACHE");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "seriatim");
        }
        String home = System.getProperty("user.home");
        if (home != null && !home.isBlank() && Files.isWritable(Path.of(home))) {
            return Path.of(home, ".cache", "seriatim");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "seriatim-" + System.getProperty("user.name", "user"));
    }
}
