package dev.densify.cli.rm;

import dev.densify.api.API;
import dev.densify.cli.shell.CliContext;
import dev.densify.cli.shell.UserException;
import dev.densify.rm.pref.PairFiles;
import dev.densify.rm.pref.RunPairs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code densify rm pairs RUN...}: preference pairs from the trajectories runs sampled. */
@API(status = API.Status.INTERNAL, since = "0.2")
@Command(name = "pairs", description = {"Build preference pairs from run folders.",
    "Build preference pairs from run folders' sampled trajectories (trajectories/iter-*.jsonl.gz): two episodes of",
    "the same task pair when one succeeded and the other failed, or one has the higher return. The agent is one",
    "module: trajectory_full_context is each round's observation and action, module_k_all_rounds the actions.",
    "Example: densify rm pairs runs/train-1 runs/train-2 --out pairs.jsonl"})
public final class RmPairsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "RUN", arity = "1..*", description = "Run folders (of one environment configuration).")
    private List<Path> runs;

    @Option(names = "--out", paramLabel = "FILE", required = true,
            description = "The pairs file to write (JSON lines; .json writes one JSON array).")
    private Path out;

    @Option(names = "--module", paramLabel = "NAME", defaultValue = RunPairs.MODULE,
            description = "The target module the pairs name (default: ${DEFAULT-VALUE}).")
    private String module;

    @Option(names = "--max-pairs-per-task", paramLabel = "N", defaultValue = "64",
            description = "At most N pairs of one task, a seeded sample (default: ${DEFAULT-VALUE}).")
    private int maxPairsPerTask;

    @Option(names = "--seed", defaultValue = "0", description = "Seeds the sample (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Override
    public Integer call() {
        CliContext context = CliContext.of(spec);
        RunPairs.Result result;
        try {
            result = RunPairs.build(runs, module, maxPairsPerTask, seed);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        if (result.pairs().isEmpty()) {
            throw new UserException("no pairs: none of the " + result.tasks() + " tasks in " + result.trajectories()
                    + " trajectories has both a preferred and a rejected episode (all succeeded, or all failed with"
                    + " equal returns)");
        }
        try {
            if (out.getFileName().toString().endsWith(".json")) {
                PairFiles.writeJsonArray(out, result.pairs());
            } else {
                PairFiles.writeJsonLines(out, result.pairs());
            }
        } catch (IOException e) {
            throw new UserException("--out: cannot write " + out + ": " + e.getMessage());
        }
        context.out().println("wrote " + result.pairs().size() + " pairs of " + result.tasksWithPairs() + " tasks (of "
                + result.tasks() + " tasks, " + result.trajectories() + " trajectories) to " + out
                + "; target_module " + module);
        return 0;
    }
}
