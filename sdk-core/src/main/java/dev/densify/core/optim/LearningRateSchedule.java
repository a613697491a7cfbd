package dev.densify.core.optim;

import dev.densify.api.API;

/**
 * Linear warmup to {@code peak} over {@code warmupSteps} updates, then linear decay to
 * {@code peak * finalFraction} at {@code totalSteps}, constant afterwards.
 *
 * @param peak the largest learning rate
 * @param warmupSteps updates spent rising (0 starts at the peak)
 * @param totalSteps the update at which the decay ends
 * @param finalFraction the last learning rate as a fraction of the peak (1 for a constant rate after warmup)
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record LearningRateSchedule(double peak, int warmupSteps, int totalSteps, double finalFraction) {
    public LearningRateSchedule {
        if (!(peak > 0) || Double.isInfinite(peak)) {
            throw new IllegalArgumentException("peak learning rate must be positive, got " + peak);
        }
        if (warmupSteps < 0 || totalSteps < warmupSteps) {
            throw new IllegalArgumentException("need 0 <= warmupSteps <= totalSteps, got warmup " + warmupSteps
                    + " and total " + totalSteps);
        }
        if (!(finalFraction >= 0 && finalFraction <= 1)) {
            throw new IllegalArgumentException("finalFraction must be in [0, 1], got " + finalFraction);
        }
    }

    /** The learning rate of update number {@code step}, counting from 0. */
    public double at(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must not be negative, got " + step);
        }
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
        return peak * (1 - (1 - finalFraction) * progress);
    }
}
