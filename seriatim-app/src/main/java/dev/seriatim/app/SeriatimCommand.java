package dev.seriatim.app;

import picocli.CommandLine.Command;

/** The top-level command: a list of subcommands. */
@Command(name = "seriatim",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Autoregressive generative models on the JVM: load, score and generate.",
        subcommands = {
                GenerateCommand.class,
                ChatCommand.class,
                ScoreCommand.class,
                InfoCommand.class,
                TokenizeCommand.class,
                DetokenizeCommand.class,
                BenchCommand.class,
                RandomModelCommand.class,
                TrainCommand.class,
                ForecastCommand.class,
                FitCommand.class,
                BacktestCommand.class,
                QuantizeCommand.class,
                picocli.CommandLine.HelpCommand.class
        })
public final class SeriatimCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
