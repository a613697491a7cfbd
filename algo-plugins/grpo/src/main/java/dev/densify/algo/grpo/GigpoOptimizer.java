package dev.densify.algo.grpo;

import dev.densify.api.API;
import dev.densify.api.algo.EpisodeRewards;
import dev.densify.api.algo.StepAdvantages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Group-in-Group Policy Optimisation (Feng et al. 2025): a GRPO episode-level advantage plus a step-level
 * advantage from anchor states, the states that several episodes of the same group (or one episode, more than
 * once) passed through.
 * <ul>
 *   <li>Episode level: A^E_i = (R_i - mean_g R) / (std_g R + 1e-6) with R_i the undiscounted total reward of
 *       episode i (centred only when {@code scaleByStd} is false).</li>
 *   <li>Step level: R_t = r_t + gamma R_{t+1}; within a group, the steps whose {@code stateKeys} are equal form a
 *       step group and A^S_t = R_t - mean of R over the step group, so a state visited once gives 0. The step
 *       group is not scaled by its std: actions from the same state are compared in return units.</li>
 *   <li>A_t = A^E_i + omega A^S_t; the returned {@code returns} are the R_t.</li>
 * </ul>
 * Same loss as {@link GrpoOptimizer}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class GigpoOptimizer extends ClippedSurrogateOptimizer {

    private final GigpoConfig config;

    public GigpoOptimizer(GigpoConfig config) {
        super(Objects.requireNonNull(config, "config").epsLow(), config.epsHigh(), config.beta(), config.aggregation());
        this.config = config;
    }

    @Override
    public List<StepAdvantages> advantages(List<EpisodeRewards> batch) {
        double[][] returns = GroupStatistics.returnsOf(batch, config.gamma());
        StepAdvantages[] out = new StepAdvantages[batch.size()];
        for (List<Integer> members : GroupStatistics.byGroup(batch).values()) {
            double[] totals = members.stream().mapToDouble(i -> Arrays.stream(batch.get(i).rewards()).sum()).toArray();
            double mean = GroupStatistics.mean(totals);
            double scale = config.scaleByStd() ? GroupStatistics.std(totals) + GroupStatistics.STD_EPSILON : 1;
            Map<String, Double> anchorMeans = anchorMeans(batch, members, returns);
            for (int m = 0; m < members.size(); m++) {
                int i = members.get(m);
                double episodeAdvantage = (totals[m] - mean) / scale;
                List<String> keys = batch.get(i).stateKeys();
                double[] advantages = new double[returns[i].length];
                for (int t = 0; t < advantages.length; t++) {
                    double stepAdvantage = returns[i][t] - anchorMeans.get(keys.get(t));
                    advantages[t] = episodeAdvantage + config.omega() * stepAdvantage;
                }
                out[i] = new StepAdvantages(advantages, returns[i]);
            }
        }
        return List.of(out);
    }

    /** Mean step-level return per state key over every visit within the group. */
    private static Map<String, Double> anchorMeans(List<EpisodeRewards> batch, List<Integer> members,
                                                   double[][] returns) {
        Map<String, List<Double>> visits = new HashMap<>();
        for (int i : members) {
            List<String> keys = batch.get(i).stateKeys();
            for (int t = 0; t < keys.size(); t++) {
                visits.computeIfAbsent(keys.get(t), k -> new ArrayList<>()).add(returns[i][t]);
            }
        }
        Map<String, Double> means = new HashMap<>();
        visits.forEach((key, values) -> means.put(key,
                GroupStatistics.mean(values.stream().mapToDouble(Double::doubleValue).toArray())));
        return means;
    }
}
