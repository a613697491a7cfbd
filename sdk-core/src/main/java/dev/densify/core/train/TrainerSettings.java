package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.Ranges;
import dev.densify.core.optim.LearningRateSchedule;
import java.util.Objects;

/**
 * The {@code trainer} configuration group. Every key and its default is in
 * {@code META-INF/densify/trainer/default.yaml}. The keys' checks name them by their full path ({@code trainer.lr}),
 * the group being the engine's own.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record TrainerSettings(
        long seed,
        int iterations,
        int episodesPerIteration,
        int groupSize,
        int evalEvery,
        int evalEpisodes,
        boolean evalGreedy,
        int checkpointEvery,
        int maxSteps,
        int parallelism,
        long stepTimeoutMs,
        double maxFailureFraction,
        int epochs,
        int miniBatch,
        double lr,
        int lrWarmupIterations,
        double lrFinalFraction,
        double weightDecay,
        double maxGradNorm,
        int warmStartEpisodes,
        int warmStartEpochs,
        double warmStartLr,
        double criticHoldout,
        int criticFeatureTokens,
        int criticReplay,
        double criticLambda,
        CriticKey criticKey,
        int sampleTrajectories) {

    /** What names a state to a critic that keys on names (the tabular one; learned heads read features). */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public enum CriticKey {
        /** The environment's state key: the exact state, counters included. */
        STATE,
        /** The observation the policy read: states that look alike to the policy share a value. */
        OBSERVATION
    }

    public TrainerSettings {
        Ranges.requireAtLeast("trainer.iterations", iterations, 0);
        Ranges.requirePositive("trainer.episodes_per_iteration", episodesPerIteration);
        Ranges.requirePositive("trainer.group_size", groupSize);
        if (episodesPerIteration % groupSize != 0) {
            throw new ConfigException("trainer.episodes_per_iteration", episodesPerIteration
                    + " is not a multiple of trainer.group_size " + groupSize);
        }
        Ranges.requireAtLeast("trainer.eval_every", evalEvery, 0);
        Ranges.requireAtLeast("trainer.eval_episodes", evalEpisodes, 0);
        Ranges.requireAtLeast("trainer.checkpoint_every", checkpointEvery, 0);
        Ranges.requireAtLeast("trainer.max_steps", maxSteps, 0);
        Ranges.requirePositive("trainer.parallelism", parallelism);
        Ranges.requirePositive("trainer.step_timeout_ms", stepTimeoutMs);
        Ranges.requireBetween("trainer.max_failure_fraction", maxFailureFraction, 0, 1);
        Ranges.requirePositive("trainer.epochs", epochs);
        Ranges.requirePositive("trainer.mini_batch", miniBatch);
        Ranges.requireBetween("trainer.lr", lr, 0, 1);
        Ranges.requireAtLeast("trainer.lr_warmup_iterations", lrWarmupIterations, 0);
        Ranges.requireBetween("trainer.lr_final_fraction", lrFinalFraction, 0, 1);
        if (lrWarmupIterations > iterations) {
            throw new ConfigException("trainer.lr_warmup_iterations", lrWarmupIterations
                    + " is more than trainer.iterations " + iterations);
        }
        Ranges.requireBetween("trainer.weight_decay", weightDecay, 0, 1);
        Ranges.requireAtLeast("trainer.max_grad_norm", maxGradNorm, 0);
        Ranges.requireAtLeast("trainer.warm_start_episodes", warmStartEpisodes, 0);
        Ranges.requireAtLeast("trainer.warm_start_epochs", warmStartEpochs, 0);
        Ranges.requireBetween("trainer.warm_start_lr", warmStartLr, 0, 1);
        Ranges.requireBetween("trainer.critic_holdout", criticHoldout, 0, 0.9);
        Ranges.requirePositive("trainer.critic_feature_tokens", criticFeatureTokens);
        Ranges.requirePositive("trainer.critic_replay", criticReplay);
        Ranges.requireBetween("trainer.critic_lambda", criticLambda, 0, 1);
        Objects.requireNonNull(criticKey, "trainer.critic_key");
        Ranges.requireAtLeast("trainer.sample_trajectories", sampleTrajectories, 0);
    }

    /**
     * Whether something done every {@code every} iterations (0 = never) is due after iteration {@code iteration}:
     * each {@code every}-th one and the last, so that a run always ends with it.
     */
    public boolean dueAfter(int iteration, int every) {
        return every > 0 && ((iteration + 1) % every == 0 || iteration + 1 == iterations);
    }

    public int groupsPerIteration() {
        return episodesPerIteration / groupSize;
    }

    /**
     * The policy's learning rate in iteration {@code iteration}: a linear warmup over {@code lr_warmup_iterations},
     * then a linear decay to {@code lr * lr_final_fraction} at the last iteration (no warmup and a fraction of 1 keep
     * it constant). By iteration, not by update, so that it is known before a batch arrives and resumes exactly.
     */
    public double lrAt(int iteration) {
        if (lr == 0) {
            return 0;
        }
        return new LearningRateSchedule(lr, lrWarmupIterations, Math.max(lrWarmupIterations, iterations - 1),
                lrFinalFraction).at(iteration);
    }

    /**
     * The first iteration, of those both settings run, whose learning rate here differs from {@code before}'s, or -1
     * when the schedules agree: a run resumed with another {@code iterations} stretches its warmup and decay.
     */
    public int firstRateChange(TrainerSettings before) {
        for (int i = 0; i < Math.min(iterations, before.iterations); i++) {
            if (lrAt(i) != before.lrAt(i)) {
                return i;
            }
        }
        return -1;
    }
}
