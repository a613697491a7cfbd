package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.core.optim.LearningRateSchedule;

/**
 * The {@code trainer} configuration group. Every key is documented in {@code META-INF/densify/trainer/default.yaml}.
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
        int sampleTrajectories) {

    public TrainerSettings {
        nonNegative("iterations", iterations);
        positive("episodes_per_iteration", episodesPerIteration);
        positive("group_size", groupSize);
        if (episodesPerIteration % groupSize != 0) {
            throw new ConfigException("trainer.episodes_per_iteration", episodesPerIteration
                    + " is not a multiple of trainer.group_size " + groupSize);
        }
        nonNegative("eval_every", evalEvery);
        nonNegative("eval_episodes", evalEpisodes);
        nonNegative("checkpoint_every", checkpointEvery);
        nonNegative("max_steps", maxSteps);
        positive("parallelism", parallelism);
        positive("step_timeout_ms", stepTimeoutMs);
        range("max_failure_fraction", maxFailureFraction, 0, 1);
        positive("epochs", epochs);
        positive("mini_batch", miniBatch);
        range("lr", lr, 0, 1);
        nonNegative("lr_warmup_iterations", lrWarmupIterations);
        range("lr_final_fraction", lrFinalFraction, 0, 1);
        if (lrWarmupIterations > iterations) {
            throw new ConfigException("trainer.lr_warmup_iterations", lrWarmupIterations
                    + " is more than trainer.iterations " + iterations);
        }
        range("weight_decay", weightDecay, 0, 1);
        range("max_grad_norm", maxGradNorm, 0, Double.MAX_VALUE);
        nonNegative("warm_start_episodes", warmStartEpisodes);
        nonNegative("warm_start_epochs", warmStartEpochs);
        range("warm_start_lr", warmStartLr, 0, 1);
        range("critic_holdout", criticHoldout, 0, 0.9);
        positive("critic_feature_tokens", criticFeatureTokens);
        positive("critic_replay", criticReplay);
        range("critic_lambda", criticLambda, 0, 1);
        nonNegative("sample_trajectories", sampleTrajectories);
    }

    public int groupsPerIteration() {
        return episodesPerIteration / groupSize;
    }

    /**
     * The policy's learning rate in iteration {@code iteration}: a linear warmup over {@code lr_warmup_iterations},
     * then a linear decay to {@code lr * lr_final_fraction} at the last iteration (the defaults keep it constant).
     * By iteration, not by update, so that it is known before a batch arrives and resumes exactly.
     */
    public double lrAt(int iteration) {
        if (lr == 0) {
            return 0;
        }
        return new LearningRateSchedule(lr, lrWarmupIterations, Math.max(lrWarmupIterations, iterations - 1),
                lrFinalFraction).at(iteration);
    }

    private static void positive(String key, long value) {
        if (value <= 0) {
            throw new ConfigException("trainer." + key, value + " is not allowed; expected a positive number");
        }
    }

    private static void nonNegative(String key, long value) {
        if (value < 0) {
            throw new ConfigException("trainer." + key, value + " is not allowed; expected 0 or more");
        }
    }

    private static void range(String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new ConfigException("trainer." + key, value + " is out of range [" + min + ", " + max + "]");
        }
    }
}
