package dev.seriatim.app;

import dev.seriatim.io.gguf.GgufFormatException;
import dev.seriatim.io.safetensors.SafetensorsFormatException;
import dev.seriatim.quant.UnsupportedTypeException;
import dev.seriatim.text.transformer.UnsupportedModelException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures into one line on stderr and an exit code: 2 for bad usage or bad input (the
 * user can fix it), 1 for anything else. The stack trace is shown only with --verbose.
 */
final class CliErrors {

    static final int USAGE = 2;
    static final int FAILURE = 1;

    private CliErrors() {
    }

    /** A problem with the command line itself. */
    static final class BadUsage implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException e, String[] args) {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("seriatim: " + e.getMessage());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
            return USAGE;
        }
    }

    /** A failure while running a command. */
    static final class Failure implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
            boolean verbose = parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"))
                    || parsed.hasMatchedOption("--verbose");
            cmd.getErr().println("seriatim: " + describe(e));
            if (verbose) {
                e.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return isInputError(e) ? USAGE : FAILURE;
        }
    }

    static boolean isInputError(Throwable e) {
        return e instanceof InputException
                || e instanceof GgufFormatException
                || e instanceof SafetensorsFormatException
                || e instanceof dev.seriatim.text.chat.TemplateException
                || e instanceof UnsupportedModelException
                || e instanceof UnsupportedTypeException
                || e instanceof IllegalArgumentException
                || e instanceof IOException
                || e instanceof UncheckedIOException;
    }

    static String describe(Throwable e) {
        if (e instanceof NoSuchFileException n) {
            return "file not found: " + n.getFile();
        }
        if (e instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (e instanceof UncheckedIOException u) {
            return describe(u.getCause());
        }
        if (e instanceof GgufFormatException) {
            return "not a valid GGUF file: " + e.getMessage();
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory (try a smaller --context or a larger -Xmx in SERIATIM_JAVA_OPTS)";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
