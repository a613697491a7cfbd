package dev.densify.cli.rm.logs;

import dev.densify.api.API;
import dev.densify.cli.shell.CliContext;
import dev.densify.cli.shell.ConfigOptions;
import dev.densify.core.config.ComposedConfig;
import dev.densify.rm.logs.EpochCurves;
import dev.densify.rm.logs.Evaluation;
import dev.densify.rm.logs.FitReport;
import dev.densify.rm.logs.LogModelFit;
import dev.densify.rm.logs.LogRewardModel;
import dev.densify.rm.logs.LogsSettings;
import dev.densify.rm.logs.MissingValues;
import dev.densify.rm.logs.RewardScales;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code densify rm logs fit}: a reward model from logs, with its curves and test metrics. */
@API(status = API.Status.INTERNAL, since = "0.2")
@Command(name = "fit", mixinStandardHelpOptions = true,
        description = {"Fit a reward model on logged interactions: split by episode into train / validation / test,",
            "train with early stopping, report the curves, an overfitting warning and the test metrics.",
            "Each --log is a .jsonl/.ndjson (one JSON object per line) or .csv (header row) file with the fields",
            "state, action, reward and optionally next_state, episode_id, step, timestamp, source.",
            "Example: densify rm logs fit --log logs.jsonl logs.encoder.kind=hashing logs.train.epochs=50"})
public final class LogsFitCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions config;

    @Option(names = "--log", required = true, paramLabel = "FILE", description = "A log file (repeatable).")
    private List<Path> logs = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where the model, config.yaml and fit-report.json go (default: runs/rm-logs-<time>).")
    private Path out;

    @Override
    public Integer call() throws IOException {
        CliContext context = CliContext.of(spec);
        ComposedConfig composed = LogsInput.compose(context, config, null);
        LogsSettings settings = LogsInput.settings(composed);
        PrintWriter w = context.out();
        MissingValues.Result records = LogsInput.read(logs, settings.missing(), w);
        w.flush();
        LogModelFit.Result fit = LogsInput.userErrors(() -> LogModelFit.fit(records.records(), settings));
        Path folder = out != null ? out : Path.of("runs", "rm-logs-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try (LogRewardModel model = fit.model()) {
            LogModelFit.SplitSizes s = fit.split();
            w.printf(Locale.ROOT, "split      by episode (seed %d): train %d records / %d episodes, validation %d / %d,"
                    + " test %d / %d%n", settings.train().seed(), s.trainRecords(), s.trainEpisodes(),
                    s.validationRecords(), s.validationEpisodes(), s.testRecords(), s.testEpisodes());
            w.printf(Locale.ROOT, "target     %s%n", settings.target() == LogsSettings.Target.RETURN
                    ? String.format(Locale.ROOT, "the discounted return from each step (gamma %s)", settings.gamma())
                    : "the step's reward");
            w.printf(Locale.ROOT, "task       %s%n", model.classification() ? "classification of 0/1 rewards (binary "
                    + "cross-entropy)" : "regression (MSE on normalised rewards), " + scales(model.scales()));
            w.printf(Locale.ROOT, "epoch      train loss   validation loss%n");
            for (EpochCurves.Epoch e : fit.curves().epochs()) {
                w.printf(Locale.ROOT, "%5d      %10.5f   %10.5f%s%n", e.epoch(), e.trainLoss(), e.validationLoss(),
                        e.epoch() == fit.bestEpoch() ? "   (best, kept)" : "");
            }
            if (fit.stoppedEarly()) {
                w.printf(Locale.ROOT, "stopped    early: %d epochs without a better validation loss%n",
                        settings.train().patience());
            }
            fit.curves().warning().ifPresent(m -> w.printf(Locale.ROOT, "WARNING    %s%n", m));
            printEvaluation(w, "validation", fit.validation(), false);
            printEvaluation(w, "test", fit.test(), true);
            model.save(folder);
            composed.write(folder);
            FitReport.of(records.report(), fit).write(folder);
            w.printf(Locale.ROOT, "model      %s (with %s and %s)%n", folder.resolve(LogRewardModel.FILE_NAME),
                    ComposedConfig.FILE_NAME, FitReport.FILE_NAME);
        }
        w.flush();
        return 0;
    }

    private static String scales(RewardScales scales) {
        if (scales.method() == RewardScales.Method.NONE) {
            return "rewards as logged";
        }
        StringBuilder b = new StringBuilder(scales.method().name().toLowerCase(Locale.ROOT));
        if (scales.perSource()) {
            b.append(" per source (");
            scales.sources().forEach((source, s) -> b.append(String.format(Locale.ROOT, "%s: offset %.4g scale %.4g; ",
                    source, s.offset(), s.scale())));
            b.setLength(b.length() - 2);
            b.append(')');
        } else {
            b.append(String.format(Locale.ROOT, " pooled (offset %.4g scale %.4g)", scales.pooled().offset(),
                    scales.pooled().scale()));
        }
        return b.toString();
    }

    static void printEvaluation(PrintWriter w, String split, Evaluation e, boolean calibration) {
        w.printf(Locale.ROOT, "%-10s %d records: MSE %.5f  MAE %.5f  R^2 %.4f  calibration error %.5f%n", split,
                e.count(), e.mse(), e.mae(), e.r2(), e.calibrationError());
        e.binary().ifPresent(b -> w.printf(Locale.ROOT, "%-10s accuracy %.4f  ROC-AUC %s%n", "", b.accuracy(),
                Double.isNaN(b.rocAuc()) ? "undefined (one class only)" : String.format(Locale.ROOT, "%.4f",
                        b.rocAuc())));
        if (calibration) {
            w.printf(Locale.ROOT, "calibration  bin  records  mean predicted  mean observed%n");
            int bin = 1;
            for (Evaluation.CalibrationBin c : e.calibration()) {
                w.printf(Locale.ROOT, "             %3d  %7d  %14.5f  %13.5f%n", bin++, c.count(), c.meanPredicted(),
                        c.meanObserved());
            }
        }
    }
}
