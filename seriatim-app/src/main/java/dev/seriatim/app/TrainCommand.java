package dev.seriatim.app;

import picocli.CommandLine.Command;

/** {@code seriatim train FAMILY}: one subcommand per model family. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model by maximum likelihood.",
        subcommands = {TrainGptCommand.class})
final class TrainCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
