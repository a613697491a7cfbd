package dev.densify.cli.buffer;

import dev.densify.api.API;
import picocli.CommandLine.Command;

/** {@code densify buffer}: the trajectory buffer of asynchronous runs. */
@API(status = API.Status.INTERNAL, since = "0.1")
@Command(name = "buffer", mixinStandardHelpOptions = true, description = "Inspect the trajectory buffer in Redis.",
        subcommands = BufferStatusCommand.class)
public final class BufferCommand {}
