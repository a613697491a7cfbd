package dev.densify.algo.grpo;

import dev.densify.api.API;
import dev.densify.api.algo.EpisodeRewards;
import dev.densify.api.algo.StepAdvantages;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * REINFORCE Leave-One-Out (Kool et al. 2019; Ahmadian et al. 2024): each episode's baseline is the mean return
 * of the other episodes of its group, which keeps the estimate unbiased. Step t of episode i gets
 * <pre>  A_t = G_t - mean_{j != i} G_0^j</pre>
 * with G_t the discounted dense return from step t, so with sparse rewards and gamma = 1 every step carries
 * A_i = R_i - mean_{j != i} R_j. This equals G / (G - 1) times the group-centred return, so a group's
 * advantages sum to 0. A group of one episode has no other episode to compare with and is used as its own
 * baseline (advantage G_t - G_0, i.e. 0 with sparse rewards). Same loss as {@link GrpoOptimizer}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RlooOptimizer extends ClippedSurrogateOptimizer {

    private final RlooConfig config;

    public RlooOptimizer(RlooConfig config) {
        super(Objects.requireNonNull(config, "config").epsLow(), config.epsHigh(), config.beta(), config.aggregation());
        this.config = config;
    }

    @Override
    public List<StepAdvantages> advantages(List<EpisodeRewards> batch) {
        return GroupStatistics.againstEpisodeBaselines(batch, config.gamma(), RlooOptimizer::leaveOneOutMeans,
                episodeReturns -> 1);
    }

    /** Each episode's mean of the others' G_0; its own G_0 when it is alone in its group. */
    private static double[] leaveOneOutMeans(double[] episodeReturns) {
        double total = Arrays.stream(episodeReturns).sum();
        int n = episodeReturns.length;
        return Arrays.stream(episodeReturns).map(own -> n == 1 ? own : (total - own) / (n - 1)).toArray();
    }
}
