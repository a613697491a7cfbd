package dev.densify.cli.train;

import dev.densify.api.API;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.densify.cli.CliContext;
import dev.densify.cli.ConfigOptions;
import dev.densify.cli.DensifyCommand;
import dev.densify.core.ablate.Ablation;
import dev.densify.core.ablate.Variant;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.config.ConfigRequest;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.report.AblationReport;
import dev.densify.core.report.ReportingListener;
import dev.densify.core.train.Trainer;
import dev.densify.core.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Sparse versus dense (or any variants) over several seeds, from one shared warm start, on held-out tasks.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
@Command(name = "ablate", description = {
    "Compare variants (default: sparse = shaper=none vs dense = shaper=potential) over several seeds with the same",
    "budget, starting from one shared warm-started policy; writes ablation.json and summary.txt.",
    "Example: densify ablate --seeds 3 algo=ppo --variant sparse:shaper=none --variant dense:shaper=potential,critic=mlp"})
public final class AblateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions config;

    @Option(names = "--seeds", defaultValue = "3", description = "Seeds per variant (default: ${DEFAULT-VALUE}).")
    private int seeds;

    @Option(names = "--variant", paramLabel = "NAME:KEY=VALUE[,KEY=VALUE...]",
            description = "A variant; repeat for several. The first one sets the reference success level.")
    private List<String> variants = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "The ablation folder (default: runs/ablate-<time>).")
    private Path out;

    @Override
    public Integer call() throws IOException {
        CliContext context = DensifyCommand.context(spec);
        if (seeds < 1) {
            throw new dev.densify.cli.UserException("--seeds must be at least 1, got " + seeds);
        }
        List<Variant> chosen = variants.isEmpty() ? Variant.sparseVersusDense()
                : variants.stream().map(AblateCommand::parse).toList();
        Path folder = out != null ? out : TrainCommand.defaultFolder("ablate");
        Files.createDirectories(folder);
        ConfigRequest base = config.request();
        // Every variant composes (and so validates) before any training starts.
        for (Variant v : chosen) {
            context.composer().compose(with(base, v.overrides()));
        }
        Trainer.Evaluation start = warmStart(context, base, folder);
        Path warmPolicy = folder.resolve("warm-start").resolve("policy");
        List<String> fromWarm = List.of("policy.checkpoint=" + warmPolicy, "trainer.warm_start_episodes=0");
        Ablation.Report report = new Ablation(chosen, LongStream.range(0, seeds).boxed().toList()).run(
                (variant, seed) -> {
                    List<String> overrides = new ArrayList<>(variant.overrides());
                    overrides.addAll(fromWarm);
                    overrides.add("trainer.seed=" + seed);
                    ComposedConfig composed = context.composer().compose(with(base, overrides));
                    String name = variant.name() + "-seed" + seed;
                    try (Progress progress = new Progress(context.err(), name);
                         Trainer trainer = TrainingRun.open(composed, context.registry(), folder.resolve(name), false,
                                 new ReportingListener(folder.resolve(name), progress))) {
                        List<Trainer.Evaluation> curve = new ArrayList<>(List.of(start));
                        curve.addAll(trainer.run());
                        return curve;
                    }
                },
                (variant, seed, run, runs) -> context.err().printf("ablate: run %d/%d: %s, seed %d%n", run, runs,
                        variant.name(), seed));
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        json.writeValue(folder.resolve("ablation.json").toFile(), report.toMap());
        Files.writeString(folder.resolve("summary.txt"), report.summary(), StandardCharsets.UTF_8);
        AblationReport.write(folder);
        context.out().println("ablation folder: " + folder);
        context.out().print(report.summary());
        return 0;
    }

    /**
     * One warm start for all runs, so that variants differ only in what the ablation varies; returns the held-out
     * success of the warm-started policy, the common start of every curve.
     */
    private static Trainer.Evaluation warmStart(CliContext context, ConfigRequest base, Path folder) {
        ComposedConfig composed = context.composer().compose(with(base, List.of("trainer.iterations=0")));
        Path policy = folder.resolve("warm-start").resolve("policy");
        try (Progress progress = new Progress(context.err(), "warm-start");
             Trainer trainer = TrainingRun.open(composed, context.registry(), folder.resolve("warm-start"), false,
                     progress)) {
            ModelFiles.write(trainer.policy().model().toWeights(), policy);
            return trainer.evaluate();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the warm-started policy to " + policy, e);
        }
    }

    private static ConfigRequest with(ConfigRequest base, List<String> more) {
        List<String> overrides = new ArrayList<>(base.overrides());
        overrides.addAll(more);
        return new ConfigRequest(base.configFile(), overrides, base.groups());
    }

    private static Variant parse(String text) {
        try {
            return Variant.parse(text);
        } catch (IllegalArgumentException e) {
            throw new dev.densify.cli.UserException("--variant: " + e.getMessage());
        }
    }
}
