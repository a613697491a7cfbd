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

    /**
     * Lambda-returns G_t = r_t + gamma ((1 - lambda) V(s_{t+1}) + lambda G_{t+1}) of s_0..s_{T-1}, with G_T = V(s_T),
     * or 0 when the last state is terminal: lambda = 1 gives the discounted returns (bootstrapped at a cut),
     * lambda = 0 the one-step targets r_t + gamma V(s_{t+1}).
     *
     * @param values V(s_0)..V(s_T)
     */
    public static double[] lambdaReturns(double[] rewards, double[] values, boolean terminal, double gamma,
                                         double lambda) {
        requireStateValues(rewards, values);
        double[] returns = new double[rewards.length];
        double next = terminal ? 0 : values[rewards.length];
        for (int t = rewards.length - 1; t >= 0; t--) {
            double nextValue = t + 1 == rewards.length ? next : values[t + 1];
            next = rewards[t] + gamma * ((1 - lambda) * nextValue + lambda * next);
            returns[t] = next;
        }
        return returns;
    }

    /** Fails unless {@code values} holds V(s_0)..V(s_T) for the T steps of {@code rewards}. */
    static void requireStateValues(double[] rewards, double[] values) {
        if (values.length != rewards.length + 1) {
            throw new IllegalArgumentException("values must hold T + 1 = " + (rewards.length + 1) + " entries, got "
                    + values.length);
        }
    }
}
