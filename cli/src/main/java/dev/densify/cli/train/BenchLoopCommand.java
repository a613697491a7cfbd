package dev.densify.cli.train;

import dev.densify.api.API;
import dev.densify.cli.shell.CliContext;
import dev.densify.cli.shell.ConfigOptions;
import dev.densify.cli.shell.UserException;
import dev.densify.core.bench.LoopBenchmark;
import dev.densify.core.config.ConfigRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code densify bench loop}: the training loop's episodes/s, phase split and rates against the model's own. */
@API(status = API.Status.INTERNAL, since = "0.1")
@Command(name = "loop", mixinStandardHelpOptions = true, description = {
    "Run training iterations of a configuration (default: the main job's, without held-out evaluation) and print",
    "episodes/s, agent steps/s, the time of every phase, and each phase's tokens/s against what the model does for",
    "the same operation at the same shape, measured in the same process.",
    "Example: densify bench loop trainer.iterations=1000 trainer.episodes_per_iteration=8"})
public final class BenchLoopCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions config;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "8",
            description = "iterations to run, the first one untimed (default: ${DEFAULT-VALUE})")
    private int iterations;

    @Option(names = "--out", paramLabel = "DIR", description = "The run folder (default: a temporary folder, deleted).")
    private Path out;

    @Override
    public Integer call() throws IOException {
        if (iterations < 2) {
            throw new UserException("--iterations must be at least 2 (the first one is not timed), got " + iterations);
        }
        CliContext context = CliContext.of(spec);
        ConfigRequest base = config.request();
        List<String> overrides = new ArrayList<>(List.of("trainer.eval_every=0", "trainer.checkpoint_every=0",
                "trainer.sample_trajectories=0", "trainer.iterations=" + iterations));
        overrides.addAll(base.overrides());
        var composed = context.composer().compose(new ConfigRequest(base.configFile(), overrides, base.groups()));
        Path folder = out != null ? out : Files.createTempDirectory("densify-bench-loop");
        try {
            LoopBenchmark.Report report = LoopBenchmark.run(composed, context.registry(), folder,
                    line -> context.err().println("bench loop: " + line));
            context.out().print(report.summary());
        } finally {
            if (out == null) {
                deleteRecursively(folder);
            }
        }
        return 0;
    }

    private static void deleteRecursively(Path folder) throws IOException {
        try (var walk = Files.walk(folder)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
