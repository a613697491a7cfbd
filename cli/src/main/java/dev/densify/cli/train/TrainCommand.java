package dev.densify.cli.train;

import dev.densify.api.API;
import dev.densify.cli.shell.CliContext;
import dev.densify.cli.shell.ConfigOptions;
import dev.densify.cli.shell.UserException;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.config.ConfigRequest;
import dev.densify.core.report.ReportingListener;
import dev.densify.core.train.RunFolder;
import dev.densify.core.train.RunFolderException;
import dev.densify.core.train.Trainer;
import dev.densify.core.train.TrainerSettings;
import dev.densify.core.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Trains a policy, or resumes a run from its last checkpoint. */
@API(status = API.Status.INTERNAL, since = "0.1")
@Command(name = "train", description = {"Train a policy: collect, fit the critic, shape, normalise, update; repeat.",
    "Example: densify train env=gridworld algo=ppo trainer.iterations=50",
    "Resume: densify train --resume runs/<id> (the run's own config.yaml is used)"})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions config;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "The run folder (default: runs/train-<time>).")
    private Path runDir;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR from its last checkpoint.")
    private Path resume;

    @Option(names = "--overwrite", description = "Delete what an earlier run left in --run-dir before starting (a run"
            + " folder belongs to one run: without it, a folder that holds anything is refused).")
    private boolean overwrite;

    @Override
    public Integer call() {
        CliContext context = CliContext.of(spec);
        ConfigRequest request = config.request();
        Path folder;
        if (resume != null && (runDir != null || overwrite)) {
            throw new UserException("--resume continues the run in its own folder; it cannot be combined with "
                    + (runDir != null ? "--run-dir" : "--overwrite"));
        }
        if (resume != null) {
            Path written = resume.resolve(ComposedConfig.FILE_NAME);
            if (!Files.isRegularFile(written)) {
                throw new UserException("--resume: " + written + " does not exist; is " + resume + " a run folder?");
            }
            request = request.withConfigFile(written);
            folder = resume;
        } else {
            folder = runDir != null ? runDir : defaultFolder("train");
        }
        ComposedConfig composed = context.composer().compose(request);
        if (resume != null) {
            warnIfTheScheduleChanged(context, context.composer().compose(ConfigRequest.of()
                    .withConfigFile(resume.resolve(ComposedConfig.FILE_NAME))), composed);
        }
        if (resume == null) {
            // Only after the configuration is known to be valid: a typo must not cost the earlier run.
            if (overwrite && RunFolder.clear(folder)) {
                context.err().println("densify: --overwrite: cleared " + folder + " for a new run");
            }
            try {
                RunFolder.requireUnused(folder);
            } catch (RunFolderException e) {
                throw new UserException("--run-dir: " + e.getMessage() + " (--resume " + folder + " continues it,"
                        + " --overwrite clears it)");
            }
        }
        List<Trainer.Evaluation> evaluations;
        Map<String, Double> phaseSeconds;
        try (Progress progress = new Progress(context.err(), folder.getFileName().toString());
             Trainer trainer = TrainingRun.open(composed, context.registry(), folder, resume != null,
                     new ReportingListener(folder, progress))) {
            evaluations = trainer.run();
            phaseSeconds = trainer.phaseSeconds();
        }
        context.out().println("run folder: " + folder);
        for (Trainer.Evaluation e : evaluations) {
            context.out().printf("iteration %3d  episodes %6d  held-out success %.3f [%.3f, %.3f]%n", e.iteration() + 1,
                    e.episodes(), e.success().estimate(), e.success().low(), e.success().high());
        }
        context.out().println(timeSummary(phaseSeconds));
        return 0;
    }

    /** Overrides on resume that move the learning-rate schedule (most often a longer trainer.iterations) say so. */
    private static void warnIfTheScheduleChanged(CliContext context, ComposedConfig saved, ComposedConfig resumed) {
        TrainerSettings before = saved.group("trainer").bind(TrainerSettings.class);
        TrainerSettings now = resumed.group("trainer").bind(TrainerSettings.class);
        int changed = now.firstRateChange(before);
        if (changed >= 0) {
            context.err().printf(Locale.ROOT, "densify: warning: the learning rate of iteration %d is now %.2e, not"
                    + " the run's %.2e: the schedule spans trainer.iterations (%d, the run's %d), so the rest of the"
                    + " run follows the new one%n", changed + 1, now.lrAt(changed), before.lrAt(changed),
                    now.iterations(), before.iterations());
        }
    }

    /** "time by phase: collect 1.2 s (30%), ...": where this process's training time went, checkpoints included. */
    static String timeSummary(Map<String, Double> phaseSeconds) {
        double total = phaseSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder line = new StringBuilder("time by phase (this process):");
        String separator = " ";
        for (Map.Entry<String, Double> e : phaseSeconds.entrySet()) {
            line.append(separator).append(String.format(Locale.ROOT, "%s %.1f s (%.0f%%)", e.getKey(), e.getValue(),
                    total > 0 ? 100 * e.getValue() / total : 0));
            separator = ", ";
        }
        return line.toString();
    }

    static Path defaultFolder(String kind) {
        return Path.of("runs", kind + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
}
