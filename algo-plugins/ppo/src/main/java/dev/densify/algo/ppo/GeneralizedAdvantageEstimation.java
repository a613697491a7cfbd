package dev.densify.algo.ppo;

import dev.densify.api.algo.EpisodeRewards;
import dev.densify.api.algo.StepAdvantages;

/**
 * GAE (Schulman et al. 2016) over one episode's agent steps: delta_t = r_t + gamma V(s_{t+1}) - V(s_t) with
 * V(s_T) = 0 when the episode terminated (a truncated episode bootstraps from the critic's V(s_T)),
 * A_t = delta_t + gamma lam A_{t+1}, and returns A_t + V(s_t) as value targets.
 */
final class GeneralizedAdvantageEstimation {

    private GeneralizedAdvantageEstimation() {}

    static StepAdvantages estimate(EpisodeRewards episode, double gamma, double lam) {
        double[] r = episode.rewards();
        double[] v = episode.values();
        requireFinite(episode);
        int steps = r.length;
        double[] advantages = new double[steps];
        double[] returns = new double[steps];
        double next = episode.terminated() ? 0 : v[steps];
        double running = 0;
        for (int t = steps - 1; t >= 0; t--) {
            double delta = r[t] + gamma * next - v[t];
            running = delta + gamma * lam * running;
            advantages[t] = running;
            returns[t] = running + v[t];
            next = v[t];
        }
        return new StepAdvantages(advantages, returns);
    }

    private static void requireFinite(EpisodeRewards episode) {
        for (double r : episode.rewards()) {
            if (!Double.isFinite(r)) {
                throw new IllegalArgumentException("episode of group '" + episode.groupId()
                        + "' has a non-finite reward " + r + "; rewards must be finite numbers");
            }
        }
        // V(s_T) of a terminated episode is replaced by 0, so only the values that are used must be finite.
        int used = episode.terminated() ? episode.rewards().length : episode.values().length;
        for (int t = 0; t < used; t++) {
            if (!Double.isFinite(episode.values()[t])) {
                throw new IllegalArgumentException("episode of group '" + episode.groupId()
                        + "' has a non-finite critic value " + episode.values()[t] + " at state " + t
                        + "; the critic must predict finite numbers");
            }
        }
    }
}
