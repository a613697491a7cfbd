package dev.densify.cli.rm;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.densify.api.API;
import dev.densify.cli.shell.CliContext;
import dev.densify.cli.shell.UserException;
import dev.densify.rm.pref.PreferenceModel;
import dev.densify.rm.pref.PreferencePair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code densify rm score}: each pair's rewards, one JSON line per pair. */
@API(status = API.Status.INTERNAL, since = "0.2")
@Command(name = "score", description = {"Score pairs with a trained preference model.",
    "Print the rewards a trained preference model gives each pair's sides under the pair's module head, one JSON line",
    "per pair: {\"pair_id\", \"target_module\", \"positive\", \"negative\", \"difference\"}.",
    "Example: densify rm score --model runs/rm/model --pairs pairs.jsonl"})
public final class RmScoreCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "A checkpoint folder.")
    private Path model;

    @Option(names = "--pairs", paramLabel = "FILE", required = true, arity = "1..*", description = "Pairs files.")
    private List<Path> pairFiles;

    @Override
    public Integer call() throws Exception {
        CliContext context = CliContext.of(spec);
        List<PreferencePair> pairs = RmFiles.pairs(pairFiles);
        try (PreferenceModel loaded = RmFiles.model(model, 16)) {
            for (PreferencePair pair : pairs) {
                if (!loaded.hasHead(pair.targetModule())) {
                    throw new UserException("pair '" + pair.pairId() + "' targets module '" + pair.targetModule()
                            + "', which the model has no head for; its heads: " + loaded.modules());
                }
            }
            Map<String, List<Integer>> byModule = new LinkedHashMap<>();
            for (int i = 0; i < pairs.size(); i++) {
                byModule.computeIfAbsent(pairs.get(i).targetModule(), k -> new ArrayList<>()).add(i);
            }
            double[] pos = new double[pairs.size()];
            double[] neg = new double[pairs.size()];
            for (var entry : byModule.entrySet()) {
                List<PreferencePair> own = entry.getValue().stream().map(pairs::get).toList();
                double[] p = loaded.score(entry.getKey(), own.stream().map(PreferencePair::positive).toList());
                double[] n = loaded.score(entry.getKey(), own.stream().map(PreferencePair::negative).toList());
                for (int j = 0; j < own.size(); j++) {
                    pos[entry.getValue().get(j)] = p[j];
                    neg[entry.getValue().get(j)] = n[j];
                }
            }
            for (int i = 0; i < pairs.size(); i++) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("pair_id", pairs.get(i).pairId());
                line.put("target_module", pairs.get(i).targetModule());
                line.put("positive", pos[i]);
                line.put("negative", neg[i]);
                line.put("difference", pos[i] - neg[i]);
                context.out().println(JSON.writeValueAsString(line));
            }
        }
        return 0;
    }
}
