package dev.densify.cli;

import dev.densify.cli.shell.CliContext;
import dev.densify.cli.shell.ConfigOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the composed configuration, after the same validation a run does (so it also checks a config file). */
@Command(name = "config",
        description = {"Print the composed configuration as YAML, or every problem in it (exit code 2).",
            "The output, saved to a file, reproduces it with --config."})
final class ConfigCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions config;

    @Override
    public Integer call() {
        CliContext context = CliContext.of(spec);
        context.out().print(context.composer().compose(config.request()).toYaml());
        return 0;
    }
}
