package dev.densify.cli.rm;

import dev.densify.api.API;
import dev.densify.cli.shell.CliContext;
import dev.densify.cli.shell.ConfigOptions;
import dev.densify.cli.shell.UserException;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.config.ConfigComposer;
import dev.densify.rm.pref.PreferencePair;
import dev.densify.rm.pref.PreferenceTraining;
import dev.densify.rm.pref.RmSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code densify rm train}: fits the preference model and evaluates it on held-out tasks. */
@API(status = API.Status.INTERNAL, since = "0.2")
@Command(name = "train", description = {"Train the preference reward model and evaluate it on held-out tasks.",
    "Train the multi-head preference reward model (shared encoder, one Bradley-Terry head per module): stage 0 with",
    "the encoder frozen, then rm.finetune_epochs of full fine-tuning; evaluated on held-out tasks.",
    "Writes DIR/model (the checkpoint), DIR/report.html, DIR/metrics.json, DIR/plots/ and DIR/config.yaml.",
    "Example: densify rm train --pairs pairs.jsonl --out runs/rm rm.encoder=stories260K.bin rm.epochs=30"})
public final class RmTrainCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions config;

    @Option(names = "--pairs", paramLabel = "FILE", required = true, arity = "1..*",
            description = "Pairs files (JSON array or JSON lines).")
    private List<Path> pairFiles;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The output folder (new or empty).")
    private Path out;

    @Override
    public Integer call() throws IOException {
        CliContext context = CliContext.of(spec);
        ComposedConfig composed = new ConfigComposer(context.registry(), RmSettings.PRIMARY).compose(config.request());
        RmSettings settings = composed.group(RmSettings.GROUP).bind(RmSettings.class);
        List<PreferencePair> pairs = RmFiles.pairs(pairFiles);
        if (Files.isDirectory(out)) {
            try (var entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new UserException("--out: " + out + " is not empty; name a new folder");
                }
            }
        }
        Files.createDirectories(out);
        composed.write(out);
        PreferenceTraining.Outcome outcome;
        try {
            outcome = PreferenceTraining.run(settings, pairs, out, line -> context.err().println("densify rm: " + line));
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        context.out().println("held-out tasks " + outcome.split().heldOutTasks());
        RmFiles.printMetrics(context.out(), outcome.evaluation());
        context.out().println("model: " + outcome.model());
        context.out().println("report: " + outcome.report());
        return 0;
    }
}
