package dev.densify.cli.rm;

import dev.densify.api.API;
import picocli.CommandLine.Command;

/** {@code densify rm}: the group of reward model commands. */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
@Command(name = "rm", mixinStandardHelpOptions = true,
        description = "Reward models: build preference pairs from runs, train, evaluate and score.",
        subcommands = {RmPairsCommand.class, RmTrainCommand.class, RmEvalCommand.class, RmScoreCommand.class,
            dev.densify.cli.rm.logs.LogsCommand.class})
public final class RmCommand {}
