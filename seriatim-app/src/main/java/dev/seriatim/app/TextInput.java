package dev.seriatim.app;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a text file given on the command line: UTF-8, size-limited, with errors that name it. */
final class TextInput {

    /** Larger inputs are refused rather than risking running out of memory. */
    static final long MAX_BYTES = 512L << 20;

    private TextInput() {
    }

    static String read(Path path, String option) throws IOException {
        if (!Files.exists(path)) {
            throw new InputException(option + ": file not found: " + path);
        }
        if (!Files.isRegularFile(path)) {
            throw new InputException(option + ": not a regular file: " + path);
        }
        long size = Files.size(path);
        if (size > MAX_BYTES) {
            throw new InputException(option + ": " + path + " is " + Sizes.bytes(size) + ", more than the "
                    + Sizes.bytes(MAX_BYTES) + " limit");
        }
        byte[] bytes = Files.readAllBytes(path);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InputException(option + ": " + path + " is not valid UTF-8 text");
        }
    }
}
