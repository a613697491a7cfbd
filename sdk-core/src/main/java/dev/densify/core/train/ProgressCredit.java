package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.algo.StepAdvantages;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.Ranges;
import dev.densify.api.trajectory.Trajectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Per-step progress credit (PAV, Setlur et al. 2024; VinePPO, Kazemnejad et al. 2024): each step's advantage is
 * the algorithm's own outcome advantage plus {@code alpha * delta_t}, with delta_t = r_t + gamma V(s_{t+1}) - V(s_t)
 * and V(s_T) = 0 at a terminal last state. The progress term goes to step t alone: summed into a return it would
 * telescope back to R - V(s_t), only a baseline (potential shaping under return-to-go credit does exactly that).
 * Values may be measured under a prover: V_mu = 1 - (1 - V)^K, the success probability of best-of-K.
 *
 * @param alpha weight of the progress term; 0 leaves the algorithm's advantages unchanged
 * @param proverK K of the best-of-K prover; 1 uses the critic's V itself
 * @param clip delta is clipped to [-clip, clip]; 0 = no clipping
 * @param normalize delta is divided by its standard deviation over the batch
 * @param forkRollouts V comes from this many rollouts of the policy from every state of an episode, on forks of
 *     its environment (Monte Carlo values, as in VinePPO; they count as episodes); 0 = the critic's V
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record ProgressCredit(double alpha, int proverK, double clip, boolean normalize, int forkRollouts) {
    private static final double STD_EPSILON = 1e-8;
    /** More rollouts per state than this cost more episodes than any comparison here affords. */
    static final int MAX_FORK_ROLLOUTS = 64;

    public ProgressCredit {
        Ranges.requireBetween("credit.alpha", alpha, 0, 100);
        Ranges.requirePositive("credit.prover_k", proverK);
        if (!(clip >= 0 && clip < Double.POSITIVE_INFINITY)) {
            throw new ConfigException("credit.clip", clip + " is not allowed; expected 0 (no clipping) or more");
        }
        if (forkRollouts < 0 || forkRollouts > MAX_FORK_ROLLOUTS) {
            throw new ConfigException("credit.fork_rollouts", forkRollouts + " is out of range [0, "
                    + MAX_FORK_ROLLOUTS + "]; 0 takes V from the critic");
        }
    }

    /** Progress credit with the critic's values. */
    public ProgressCredit(double alpha, int proverK, double clip, boolean normalize) {
        this(alpha, proverK, clip, normalize, 0);
    }

    /** Whether V comes from rollouts on forks rather than from the critic. */
    public boolean forks() {
        return forkRollouts > 0;
    }

    /** The advantages of the batch with each step's progress added; the returns stay the algorithm's. */
    public List<StepAdvantages> apply(List<StepAdvantages> advantages, List<Trajectory> batch, List<double[]> values,
                                      double gamma) {
        Objects.requireNonNull(advantages, "advantages");
        List<double[]> deltas = progress(batch, values, gamma);
        List<StepAdvantages> out = new ArrayList<>(advantages.size());
        for (int i = 0; i < advantages.size(); i++) {
            double[] a = advantages.get(i).advantages().clone();
            double[] d = deltas.get(i);
            for (int t = 0; t < a.length; t++) {
                a[t] += alpha * d[t];
            }
            out.add(new StepAdvantages(a, advantages.get(i).returns()));
        }
        return out;
    }

    /** delta_t of every step of the batch after the prover, clipping and normalisation this credit asks for. */
    public List<double[]> progress(List<Trajectory> batch, List<double[]> values, double gamma) {
        List<double[]> deltas = new ArrayList<>(batch.size());
        double squares = 0;
        long count = 0;
        for (int i = 0; i < batch.size(); i++) {
            Trajectory t = batch.get(i);
            double[] d = delta(Returns.sparseRewards(t), prover(values.get(i), proverK), t.terminated(), gamma);
            for (int k = 0; k < d.length; k++) {
                if (clip > 0) {
                    d[k] = Math.max(-clip, Math.min(clip, d[k]));
                }
                squares += d[k] * d[k];
                count++;
            }
            deltas.add(d);
        }
        if (normalize && count > 0) {
            double scale = Math.sqrt(squares / count) + STD_EPSILON;
            for (double[] d : deltas) {
                for (int k = 0; k < d.length; k++) {
                    d[k] /= scale;
                }
            }
        }
        return deltas;
    }

    /**
     * delta_t = r_t + gamma V(s_{t+1}) - V(s_t) for t = 0..T-1, with V(s_T) taken as 0 when {@code terminal}.
     *
     * @param values V(s_0)..V(s_T)
     */
    public static double[] delta(double[] rewards, double[] values, boolean terminal, double gamma) {
        Returns.requireStateValues(rewards, values);
        double[] d = new double[rewards.length];
        for (int t = 0; t < rewards.length; t++) {
            double next = t + 1 == rewards.length && terminal ? 0 : values[t + 1];
            d[t] = rewards[t] + gamma * next - values[t];
        }
        return d;
    }

    /** V_mu = 1 - (1 - V)^K for a success probability V clamped to [0, 1]; K = 1 returns the values unchanged. */
    public static double[] prover(double[] values, int k) {
        if (k == 1) {
            return values.clone();
        }
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = Math.max(0, Math.min(1, values[i]));
            out[i] = 1 - Math.pow(1 - v, k);
        }
        return out;
    }
}
