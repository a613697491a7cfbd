package dev.densify.algo.grpo;

import dev.densify.api.API;
import dev.densify.api.algo.EpisodeRewards;
import dev.densify.api.algo.StepAdvantages;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Group Relative Policy Optimisation (Shao et al. 2024), with Dr. GRPO (no std scaling) as an option.
 *
 * <p><b>Advantages.</b> Episodes that share a {@code groupId} (the G rollouts of one task) form a group. For
 * step t of episode i with discounted dense return G_t = sum_{k >= t} gamma^(k - t) r_k:
 * <pre>  A_t = (G_t - mean_g G_0) / (std_g G_0 + 1e-6)      (scaleByStd = false: A_t = G_t - mean_g G_0)</pre>
 * The baseline is the group's statistics of whole-episode returns G_0, not of G_t at the same index, because
 * steps at equal indices of different episodes are not comparable states. Consequences that justify this
 * choice:
 * <ul>
 *   <li>With sparse rewards (only the outcome R, on the last step) and gamma = 1, every G_t equals R, so every
 *       step gets exactly the episode-level GRPO advantage (R_i - mean R) / (std R + 1e-6).</li>
 *   <li>With potential-based shaping r'_t = r_t + gamma Phi(s_{t+1}) - Phi(s_t), G'_t = G_t - Phi(s_t), so
 *       A_t is a Monte Carlo advantage G_t - Phi(s_t) minus a constant shared by the group: the critic acts as
 *       a per-state baseline inside the group-relative estimate.</li>
 * </ul>
 * The std is the population std (divisor G). A group of one episode, or of equal returns, gives 0 at the
 * episode level. The returned {@code returns} are the G_t.
 *
 * <p><b>Loss.</b> Per token the clipped surrogate -min(rho A, clip(rho, 1 - epsLow, 1 + epsHigh) A) with
 * rho = exp(logp - old_logp), plus beta times the k3 KL to the reference, clamped to [-10, 10]; aggregated by
 * token-mean over the mini-batch (DAPO, default) or sequence-mean-token-mean.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class GrpoOptimizer extends ClippedSurrogateOptimizer {

    private final GrpoConfig config;

    public GrpoOptimizer(GrpoConfig config) {
        super(Objects.requireNonNull(config, "config").epsLow(), config.epsHigh(), config.beta(), config.aggregation());
        this.config = config;
    }

    @Override
    public List<StepAdvantages> advantages(List<EpisodeRewards> batch) {
        return GroupStatistics.againstEpisodeBaselines(batch, config.gamma(), episodeReturns -> {
            double[] baselines = new double[episodeReturns.length];
            Arrays.fill(baselines, GroupStatistics.mean(episodeReturns));
            return baselines;
        }, episodeReturns -> config.scaleByStd()
                ? GroupStatistics.std(episodeReturns) + GroupStatistics.STD_EPSILON : 1);
    }
}
