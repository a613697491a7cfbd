package dev.densify.core.train;

import java.util.SplittableRandom;

/**
 * The seeds of a run's random draws: each from the run seed, the iteration and a stream of its own only, so that a
 * resumed run draws what an uninterrupted one did, and the warm start what every run of an ablation draws.
 */
final class RunSeeds {
    private final long runSeed;

    RunSeeds(long runSeed) {
        this.runSeed = runSeed;
    }

    long of(long iteration, long stream) {
        return new SplittableRandom(runSeed * 0x9E3779B97F4A7C15L + iteration * 0xBF58476D1CE4E5B9L + stream)
                .nextLong();
    }
}
