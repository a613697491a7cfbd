package dev.densify.cli;

import dev.densify.api.API;
import dev.densify.cli.buffer.BenchBufferCommand;
import dev.densify.cli.model.BenchModelCommand;
import dev.densify.cli.train.BenchLoopCommand;
import picocli.CommandLine.Command;

/** Benchmarks that print figures for docs/benchmarks.md (tests never time anything). */
@API(status = API.Status.INTERNAL, since = "0.1")
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure throughput on this machine.",
        subcommands = {BenchModelCommand.class, BenchBufferCommand.class, BenchLoopCommand.class})
public final class BenchCommand {}
