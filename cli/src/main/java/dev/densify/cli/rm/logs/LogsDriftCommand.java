package dev.densify.cli.rm.logs;

import dev.densify.api.API;
import dev.densify.cli.shell.CliContext;
import dev.densify.cli.shell.ConfigOptions;
import dev.densify.cli.shell.UserException;
import dev.densify.rm.logs.DriftReport;
import dev.densify.rm.logs.LogRewardModel;
import dev.densify.rm.logs.LogsSettings;
import dev.densify.rm.logs.MissingValues;
import dev.densify.rm.logs.Psi;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code densify rm logs drift}: new logs against the training logs, by population stability index. */
@API(status = API.Status.INTERNAL, since = "0.2")
@Command(name = "drift", mixinStandardHelpOptions = true,
        description = {"Compare new logs with the logs a model was trained on: PSI of its predictions, the rewards,",
            "the state and action text lengths and projections of the features, each against the training",
            "distribution's deciles; PSI < 0.1 stable, 0.1-0.25 moderate, > 0.25 drifted.",
            "Exit code 0 when stable or moderate, 3 when drifted (or from moderate on, with --fail-on moderate).",
            "Example: densify rm logs drift --model runs/rm-logs-<time> --log this-week.jsonl"})
public final class LogsDriftCommand implements Callable<Integer> {
    /** The exit code of a drifted verdict, apart from bad input (2) and failure (1). */
    static final int DRIFTED = 3;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions config;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A folder `rm logs fit` wrote.")
    private Path model;

    @Option(names = "--log", required = true, paramLabel = "FILE", description = "A log file (repeatable).")
    private List<Path> logs = new ArrayList<>();

    @Option(names = "--fail-on", paramLabel = "VERDICT", defaultValue = "drifted",
            description = "The verdict from which the exit code is 3: moderate or drifted (default).")
    private String failOn;

    @Override
    public Integer call() {
        CliContext context = CliContext.of(spec);
        Psi.Verdict threshold = switch (failOn.toLowerCase(Locale.ROOT)) {
            case "moderate" -> Psi.Verdict.MODERATE;
            case "drifted" -> Psi.Verdict.DRIFTED;
            default -> throw new UserException("--fail-on: '" + failOn + "' is not allowed; expected moderate or "
                    + "drifted");
        };
        LogsSettings settings = LogsInput.settings(LogsInput.compose(context, config, model));
        PrintWriter w = context.out();
        MissingValues.Result records = LogsInput.read(logs, settings.missing(), w);
        DriftReport report;
        try (LogRewardModel loaded = LogsInput.load(model)) {
            report = LogsInput.userErrors(() -> DriftReport.of(loaded, records.records()));
        }
        w.printf(Locale.ROOT, "summary                   PSI  verdict%n");
        for (DriftReport.Entry e : report.entries()) {
            w.printf(Locale.ROOT, "%-22s %7.4f  %s%n", e.name(), e.psi(), e.verdict().name().toLowerCase(Locale.ROOT));
        }
        w.printf(Locale.ROOT, "verdict    %s (%d new records against the training logs; worst summary decides)%n",
                report.verdict().name().toLowerCase(Locale.ROOT), report.records());
        w.flush();
        return report.verdict().compareTo(threshold) >= 0 ? DRIFTED : 0;
    }
}
