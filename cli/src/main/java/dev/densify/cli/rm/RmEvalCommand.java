package dev.densify.cli.rm;

import dev.densify.api.API;
import dev.densify.cli.shell.CliContext;
import dev.densify.cli.shell.UserException;
import dev.densify.rm.metrics.Bootstrap;
import dev.densify.rm.pref.PreferenceEvaluation;
import dev.densify.rm.pref.PreferenceModel;
import dev.densify.rm.pref.PreferencePair;
import dev.densify.rm.pref.PreferenceReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code densify rm eval}: a trained preference model's metrics on pairs. */
@API(status = API.Status.INTERNAL, since = "0.2")
@Command(name = "eval", description = {"Evaluate a trained preference model on pairs.",
    "Evaluate a trained preference model on pairs it was not trained on: pairwise accuracy, ROC-AUC and score",
    "separation per module and overall, with 95%% bootstrap intervals; --out writes the report.",
    "Example: densify rm eval --model runs/rm/model --pairs other.jsonl --out runs/rm-eval"})
public final class RmEvalCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "A checkpoint folder (rm train's DIR/model).")
    private Path model;

    @Option(names = "--pairs", paramLabel = "FILE", required = true, arity = "1..*", description = "Pairs files.")
    private List<Path> pairFiles;

    @Option(names = "--out", paramLabel = "DIR", description = "Write report.html, metrics.json and plots/ here.")
    private Path out;

    @Option(names = "--bootstrap", paramLabel = "N", defaultValue = "" + Bootstrap.DEFAULT_RESAMPLES,
            description = "Bootstrap resamples (default: ${DEFAULT-VALUE}).")
    private int resamples;

    @Option(names = "--seed", defaultValue = "0", description = "Seeds the bootstrap (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Override
    public Integer call() throws IOException {
        CliContext context = CliContext.of(spec);
        if (resamples < 100) {
            throw new UserException("--bootstrap: " + resamples + " is too few resamples; expected 100 or more");
        }
        List<PreferencePair> pairs = RmFiles.pairs(pairFiles);
        try (PreferenceModel loaded = RmFiles.model(model, 16)) {
            PreferenceEvaluation evaluation;
            try {
                evaluation = PreferenceEvaluation.of(loaded, pairs, resamples, 0.95, seed);
            } catch (IllegalArgumentException e) {
                throw new UserException(e.getMessage());
            }
            RmFiles.printMetrics(context.out(), evaluation);
            if (out != null) {
                Path page = PreferenceReport.write(out, "Preference reward model: evaluation", evaluation, List.of(),
                        List.of("model: " + model, "pairs: " + pairFiles));
                context.out().println("report: " + page);
            }
        }
        return 0;
    }
}
