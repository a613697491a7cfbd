package dev.densify.cli.train;

import dev.densify.api.API;
import dev.densify.cli.shell.CliContext;
import dev.densify.cli.shell.ConfigOptions;
import dev.densify.core.ablate.Ablation;
import dev.densify.core.ablate.AblationJob;
import dev.densify.core.ablate.Variant;
import dev.densify.cli.shell.UserException;
import dev.densify.core.report.AblationReport;
import dev.densify.core.train.PassAtK;
import dev.densify.core.report.ReportingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
    "Compare variants (default: sparse = the outcome as every step's credit vs dense = per-step progress credit)",
    "over several seeds with the same budget, starting from one shared warm-started policy and evaluated on the same",
    "held-out episodes; writes ablation.json, summary.txt and summary.md.",
    "Built-in variants by name: sparse, potential, progress (or dense), gigpo, task-reward (the hand-designed reward),"
        + " implicit-prm (PRIME), spa-progress (SPA-RL).",
    "--pass-at-k 1,4 adds pass@k of every final policy and of the warm start on the held-out tasks (off by default).",
    "Example: densify ablate --seeds 5 algo=ppo --variant sparse --variant progress --variant alpha2:shaper=none,credit=progress,credit.alpha=2"})
public final class AblateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions config;

    @Option(names = "--seeds", defaultValue = "5", description = "Seeds per variant (default: ${DEFAULT-VALUE}).")
    private int seeds;

    @Option(names = "--variant", paramLabel = "NAME:KEY=VALUE[,KEY=VALUE...]",
            description = "A variant (NAME:KEY=VALUE,... or a built-in name); repeat for several. The first one sets"
                    + " the reference success level.")
    private List<String> variants = new ArrayList<>();

    @Option(names = "--parallel", paramLabel = "N", description = {
            "Trainings run at once, each in a process of its own on one core (default: the machine's cores,",
            "${DEFAULT-VALUE} here). Results do not depend on it."})
    private int parallel = Runtime.getRuntime().availableProcessors();

    @Option(names = "--out", paramLabel = "DIR", description = "The ablation folder (default: runs/ablate-<time>).")
    private Path out;

    @Option(names = "--pass-at-k", paramLabel = "K[,K...]", description = {"Also estimate pass@k (whole numbers",
            ">= 1) of each run's final policy and of the warm start on the held-out tasks (default: off)."})
    private String passAtK;

    @Option(names = "--pass-at-k-samples", paramLabel = "N",
            description = "Attempts per held-out task for --pass-at-k (default: the largest k).")
    private Integer passAtKSamples;

    @Override
    public Integer call() {
        CliContext context = CliContext.of(spec);
        if (parallel < 1) {
            throw new dev.densify.cli.shell.UserException("--parallel must be at least 1, got " + parallel);
        }
        if (seeds < 1) {
            throw new dev.densify.cli.shell.UserException("--seeds must be at least 1, got " + seeds);
        }
        Optional<AblationJob.PassAtKSettings> passAtKSettings = passAtKSettings();
        List<Variant> chosen = variants.isEmpty() ? Variant.sparseVersusDense()
                : variants.stream().map(AblateCommand::parse).toList();
        Path folder = out != null ? out : TrainCommand.defaultFolder("ablate");
        List<String> names = chosen.stream().map(Variant::name).toList();
        if (names.stream().distinct().count() != names.size()) {
            throw new dev.densify.cli.shell.UserException("--variant names must be unique, got " + names);
        }
        // reusing --out would mix two ablations' runs and reports
        dev.densify.core.train.RunFolder.requireUnused(folder);
        // Trainings side by side need processes of their own; one at a time they run here.
        AblationJob.Launcher launcher = parallel > 1 ? new ChildTraining(folder, context.pluginPathOption()) : null;
        Ablation.Report report = new AblationJob(context.composer(), context.registry(),
                name -> new ReportingListener(folder.resolve(name), new Progress(context.err(), name)), launcher)
                .run(config.request(), chosen, LongStream.range(0, seeds).boxed().toList(), parallel, folder,
                        (variant, seed, run, runs) -> context.err().printf("ablate: run %d/%d: %s, seed %d%n",
                                run, runs, variant.name(), seed), passAtKSettings);
        AblationReport.write(folder);
        context.out().println("ablation folder: " + folder);
        context.out().print(report.summary());
        return 0;
    }

    private Optional<AblationJob.PassAtKSettings> passAtKSettings() {
        if (passAtK == null) {
            if (passAtKSamples != null) {
                throw new UserException("--pass-at-k-samples goes with --pass-at-k");
            }
            return Optional.empty();
        }
        List<Integer> ks;
        try {
            ks = PassAtK.parseKs(passAtK);
        } catch (IllegalArgumentException e) {
            throw new UserException("--pass-at-k: " + e.getMessage());
        }
        int largest = ks.get(ks.size() - 1);
        int n = passAtKSamples == null ? largest : passAtKSamples;
        if (n < largest) {
            throw new UserException("--pass-at-k-samples " + n + " is fewer than the largest k (" + largest
                    + "): pass@k needs at least k samples per task");
        }
        return Optional.of(new AblationJob.PassAtKSettings(ks, n));
    }

    private static Variant parse(String text) {
        try {
            return Variant.parse(text);
        } catch (IllegalArgumentException e) {
            throw new dev.densify.cli.shell.UserException("--variant: " + e.getMessage());
        }
    }
}
