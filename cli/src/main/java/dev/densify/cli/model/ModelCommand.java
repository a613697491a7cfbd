package dev.densify.cli.model;

import dev.densify.api.API;
import picocli.CommandLine.Command;

/** {@code densify model}: the group of checkpoint commands. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
@Command(name = "model", mixinStandardHelpOptions = true, description = "Inspect model checkpoints.",
        subcommands = ModelInfoCommand.class)
public final class ModelCommand {}
