package dev.densify.rm.pref;

import dev.densify.api.API;
import dev.densify.rm.metrics.PairMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A model's scores and metrics on pairs it was not trained on: pairwise accuracy P(r_pos > r_neg), ROC-AUC of the
 * positives' against the negatives' scores and score separation, per module and over all pairs, each with a seeded
 * bootstrap interval over pairs.
 *
 * @param modules per module, sorted by name
 * @param overall every pair, each scored by its own module's head
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record PreferenceEvaluation(List<ModuleResult> modules, ModuleResult overall) {
    /** The name {@link #overall()} carries. */
    public static final String ALL = "all";

    public PreferenceEvaluation {
        modules = List.copyOf(modules);
        Objects.requireNonNull(overall, "overall");
    }

    /**
     * The scores and metrics of one module's pairs (or of all pairs).
     *
     * @param positive the preferred sides' rewards, pair by pair
     * @param negative the rejected sides' rewards, pair by pair
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record ModuleResult(String module, PairMetrics metrics, double[] positive, double[] negative) {}

    /** Scores every pair with its module's head (encoder frozen) and computes the metrics. */
    public static PreferenceEvaluation of(PreferenceModel model, List<PreferencePair> pairs, int resamples,
                                          double level, long seed) {
        Objects.requireNonNull(model, "model");
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("evaluation needs at least one pair");
        }
        for (PreferencePair pair : pairs) {
            if (!model.hasHead(pair.targetModule())) {
                throw new IllegalArgumentException("pair '" + pair.pairId() + "' targets module '"
                        + pair.targetModule() + "', which the model has no head for; its heads: " + model.modules());
            }
        }
        double[][] scores = PreferenceTrainer.validationScores(model, pairs,
                PreferenceTrainer.embed(model.encoder(), List.of(), pairs));
        Map<String, List<Integer>> byModule = new TreeMap<>();
        for (int i = 0; i < pairs.size(); i++) {
            byModule.computeIfAbsent(pairs.get(i).targetModule(), k -> new ArrayList<>()).add(i);
        }
        List<ModuleResult> modules = new ArrayList<>();
        byModule.forEach((module, indices) -> {
            double[] pos = indices.stream().mapToDouble(i -> scores[0][i]).toArray();
            double[] neg = indices.stream().mapToDouble(i -> scores[1][i]).toArray();
            modules.add(new ModuleResult(module, PairMetrics.of(pos, neg, resamples, level, seed), pos, neg));
        });
        ModuleResult overall = new ModuleResult(ALL, PairMetrics.of(scores[0], scores[1], resamples, level, seed),
                scores[0], scores[1]);
        return new PreferenceEvaluation(modules, overall);
    }
}
