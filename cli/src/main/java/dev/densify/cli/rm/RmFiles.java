package dev.densify.cli.rm;

import dev.densify.cli.shell.UserException;
import dev.densify.rm.pref.PairFiles;
import dev.densify.rm.pref.PairFormatException;
import dev.densify.rm.pref.PreferenceEvaluation;
import dev.densify.rm.pref.PreferenceModel;
import dev.densify.rm.metrics.PairMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What the rm commands share: reading pairs and models with user-facing errors, and the metrics table. */
final class RmFiles {
    private RmFiles() {}

    static List<dev.densify.rm.pref.PreferencePair> pairs(List<Path> files) {
        if (files == null || files.isEmpty()) {
            throw new UserException("--pairs: name at least one pairs file (JSON array or JSON lines)");
        }
        try {
            return PairFiles.read(files);
        } catch (PairFormatException e) {
            throw new UserException("--pairs: " + e.getMessage());
        } catch (IOException e) {
            throw new UserException("--pairs: " + e.getMessage());
        }
    }

    static PreferenceModel model(Path folder, int encodeBatch) {
        try {
            return PreferenceModel.load(folder, encodeBatch);
        } catch (IOException e) {
            throw new UserException("--model: " + e.getMessage());
        }
    }

    static void printMetrics(PrintWriter out, PreferenceEvaluation evaluation) {
        out.println("module      pairs  pairwise accuracy [95% CI]   ROC-AUC [95% CI]        separation [95% CI]");
        List<PreferenceEvaluation.ModuleResult> rows = new ArrayList<>(evaluation.modules());
        rows.add(evaluation.overall());
        for (PreferenceEvaluation.ModuleResult r : rows) {
            PairMetrics m = r.metrics();
            out.println(String.format(Locale.ROOT, "%-10s %6d  %-27s %-23s %s", r.module(), m.pairs(), m.accuracy(),
                    m.auc(), m.separation()));
        }
    }
}
