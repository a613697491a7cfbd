package dev.densify.cli.rm.logs;

import dev.densify.api.API;
import dev.densify.cli.shell.CliContext;
import dev.densify.cli.shell.ConfigOptions;
import dev.densify.cli.shell.UserException;
import dev.densify.rm.logs.Evaluation;
import dev.densify.rm.logs.LogModelFit;
import dev.densify.rm.logs.LogRewardModel;
import dev.densify.rm.logs.LogsSettings;
import dev.densify.rm.logs.MissingValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code densify rm logs eval}: a fitted model's metrics on logs with known rewards. */
@API(status = API.Status.INTERNAL, since = "0.2")
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Metrics of a fitted model on logs with known rewards: MSE, MAE, R^2, calibration, and for 0/1",
            "rewards accuracy and ROC-AUC. Records whose reward was imputed are not ground truth and are left out.",
            "Example: densify rm logs eval --model runs/rm-logs-<time> --log new.csv"})
public final class LogsEvalCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions config;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A folder `rm logs fit` wrote.")
    private Path model;

    @Option(names = "--log", required = true, paramLabel = "FILE", description = "A log file (repeatable).")
    private List<Path> logs = new ArrayList<>();

    @Override
    public Integer call() {
        CliContext context = CliContext.of(spec);
        LogsSettings settings = LogsInput.settings(LogsInput.compose(context, config, model));
        MissingValues.Result records = LogsInput.read(logs, settings.missing(), context.out());
        try (LogRewardModel loaded = LogsInput.load(model)) {
            Evaluation e = LogsInput.userErrors(() -> LogModelFit.evaluate(loaded, records.records()))
                    .orElseThrow(() -> new UserException("no record of " + logs + " has an observed reward to "
                            + "evaluate against"));
            LogsFitCommand.printEvaluation(context.out(), "logs", e, true);
        }
        context.out().flush();
        return 0;
    }
}
