package dev.densify.cli.rm.logs;

import dev.densify.api.API;
import picocli.CommandLine.Command;

/** {@code densify rm logs}: the group of logged-interaction reward model commands. */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Reward models learned from logged interactions (state, action, reward records in JSONL or CSV).",
            "Configuration: the logs group (logs.KEY=VALUE, --config FILE); see `densify rm logs fit --help`."},
        subcommands = {LogsFitCommand.class, LogsEvalCommand.class, LogsDriftCommand.class})
public final class LogsCommand {}
