package dev.densify.cli.env;

import dev.densify.api.API;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code env} command family; alone it prints its usage. */
@API(status = API.Status.INTERNAL, since = "0.1")
@Command(name = "env", description = "Work with environment plugins.",
        subcommands = EnvPlayCommand.class)
public final class EnvCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
