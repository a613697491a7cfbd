package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.trajectory.Trajectory;

/** Discounted returns, the one place they are computed. */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Returns {
    private Returns() {}

    /** G_t = sum_{k >= t} gamma^(k-t) r_k for every t. */
    public static double[] discounted(double[] rewards, double gamma) {
        double[] returns = new double[rewards.length];
        double running = 0;
        for (int t = rewards.length - 1; t >= 0; t--) {
            running = rewards[t] + gamma * running;
            returns[t] = running;
        }
        return returns;
    }

    /** The sparse rewards of an episode: the environment's step rewards with the outcome added to the last step. */
    public static double[] sparseRewards(Trajectory trajectory) {
        double[] rewards = trajectory.stepRewards();
        return withOutcome(rewards, trajectory.outcome().reward());
    }

    /** A copy of {@code rewards} with {@code outcome} added to the last step (no steps: nothing to add to). */
    public static double[] withOutcome(double[] rewards, double outcome) {
        double[] out = rewards.clone();
        if (out.length > 0) {
            out[out.length - 1] += outcome;
        }
        return out;
    }

    /** Monte Carlo returns of s_0..s_{T-1}: the critic's training targets. */
    public static double[] monteCarlo(Trajectory trajectory, double gamma) {
        return discounted(sparseRewards(trajectory), gamma);
    }
}
