package dev.densify.algo.ppo;

import dev.densify.api.API;
import dev.densify.api.algo.Aggregation;
import dev.densify.api.algo.ClippedSurrogate;
import dev.densify.api.algo.EpisodeRewards;
import dev.densify.api.algo.LossInputs;
import dev.densify.api.algo.PolicyLoss;
import dev.densify.api.algo.PolicyOptimizer;
import dev.densify.api.algo.StepAdvantages;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * PPO-clip with GAE over agent steps (as in Agent-R1): each step is one action of the agent, its advantage is
 * given to all of that action's tokens. Advantages come from the critic's values in {@link EpisodeRewards}
 * (so {@link #usesCritic()} is true); with {@code whiten} they are normalised over all steps of the batch to mean
 * 0 and (population) standard deviation 1, while the returned value targets stay unwhitened A + V. The loss is
 * the clipped surrogate with token-mean aggregation plus an optional k3 KL to the reference; the value loss is
 * offered as {@link PpoLosses#clippedValueLoss} for learners that fit a value head jointly.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class PpoOptimizer implements PolicyOptimizer {

    /** Keeps whitening finite when every advantage of the batch is equal. */
    private static final double WHITEN_EPSILON = 1e-8;

    private final PpoConfig config;
    private final ClippedSurrogate surrogate;

    public PpoOptimizer(PpoConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.surrogate = new ClippedSurrogate(config.epsLow(), config.epsHigh(), config.beta(),
                Aggregation.TOKEN_MEAN);
    }

    @Override
    public boolean usesCritic() {
        return true;
    }

    @Override
    public boolean usesReference() {
        return surrogate.usesReference();
    }

    @Override
    public List<StepAdvantages> advantages(List<EpisodeRewards> batch) {
        Objects.requireNonNull(batch, "batch");
        List<StepAdvantages> raw = new ArrayList<>(batch.size());
        for (EpisodeRewards episode : batch) {
            raw.add(GeneralizedAdvantageEstimation.estimate(episode, config.gamma(), config.lam()));
        }
        return config.whiten() ? whiten(raw) : List.copyOf(raw);
    }

    private static List<StepAdvantages> whiten(List<StepAdvantages> raw) {
        double sum = 0;
        long count = 0;
        for (StepAdvantages a : raw) {
            for (double x : a.advantages()) {
                sum += x;
                count++;
            }
        }
        double mean = count == 0 ? 0 : sum / count;
        double squares = 0;
        for (StepAdvantages a : raw) {
            for (double x : a.advantages()) {
                squares += (x - mean) * (x - mean);
            }
        }
        double scale = (count == 0 ? 0 : Math.sqrt(squares / count)) + WHITEN_EPSILON;
        List<StepAdvantages> out = new ArrayList<>(raw.size());
        for (StepAdvantages a : raw) {
            double[] whitened = new double[a.advantages().length];
            for (int t = 0; t < whitened.length; t++) {
                whitened[t] = (a.advantages()[t] - mean) / scale;
            }
            out.add(new StepAdvantages(whitened, a.returns()));
        }
        return List.copyOf(out);
    }

    @Override
    public PolicyLoss loss(LossInputs inputs) {
        return surrogate.loss(inputs);
    }
}
