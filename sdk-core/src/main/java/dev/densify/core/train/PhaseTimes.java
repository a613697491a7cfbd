package dev.densify.core.train;

import dev.densify.api.API;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Wall time spent in each phase of one iteration, so that the metrics say where an iteration's seconds go.
 * Nested phases are not subtracted from their parent: {@link Phase#PREFILL}, {@link Phase#DECODE} and
 * {@link Phase#ENV} are parts of {@link Phase#COLLECT}, {@link Phase#FORKS} and {@link Phase#EVALUATE}; {@link Phase#FORWARD},
 * {@link Phase#BACKWARD} and {@link Phase#OPTIMIZER} are parts of {@link Phase#UPDATE}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class PhaseTimes {

    /** The phases of an iteration, in the order they run. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public enum Phase {
        /** Episodes of the iteration: generation and environment steps. */
        COLLECT,
        /** Monte Carlo values: rollouts of the policy on forks of the batch's states ({@code credit.fork_rollouts}). */
        FORKS,
        /** Generation's prompt forward (a part of collect and evaluate). */
        PREFILL,
        /** Generation's token-by-token sampling (a part of collect and evaluate). */
        DECODE,
        /** Environment resets, steps and renders (a part of collect and evaluate). */
        ENV,
        /** Critic features and V(s) of the batch. */
        VALUES,
        /** Shapers, normaliser and the algorithm's advantages. */
        REWARDS,
        /**
         * The reference's forward: its log-probs of the batch's action tokens for the loss's KL term, or, when the
         * loss has none, the KL to the reference measured before the update.
         */
        KL,
        /** Policy update: forward, backward and optimizer steps. */
        UPDATE,
        /** The update's forward passes (policy and reference) and its loss (a part of update). */
        FORWARD,
        /** The update's backward passes (a part of update). */
        BACKWARD,
        /** The update's gradient clipping and AdamW steps (a part of update). */
        OPTIMIZER,
        /** Critic fit. */
        CRITIC_FIT,
        /** Held-out evaluation. */
        EVALUATE,
        /**
         * Writing the iteration's trajectory samples. The metrics line and the checkpoint are written after the
         * iteration's times are taken, so they are in no phase (the run's time summary counts checkpoints apart).
         */
        WRITE;

        /** How people read it, and how {@link TrainingListener#phase} names it: "critic fit". */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }

        /** A part of another phase (prefill, decode and env of collect and evaluate; forward, backward, optimizer of update). */
        public boolean nested() {
            return this == PREFILL || this == DECODE || this == ENV || this == FORWARD || this == BACKWARD
                    || this == OPTIMIZER;
        }
    }

    private final EnumMap<Phase, Long> nanos = new EnumMap<>(Phase.class);

    public <T> T time(Phase phase, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            add(phase, System.nanoTime() - start);
        }
    }

    public void time(Phase phase, Runnable work) {
        time(phase, () -> {
            work.run();
            return null;
        });
    }

    public void add(Phase phase, long elapsedNanos) {
        nanos.merge(phase, elapsedNanos, Long::sum);
    }

    /** Adds every phase's time of {@code other} to this one's (a run's totals over its iterations). */
    public void addAll(PhaseTimes other) {
        other.nanos.forEach(this::add);
    }

    public double seconds(Phase phase) {
        return nanos.getOrDefault(phase, 0L) / 1e9;
    }

    /** The metrics key of a phase's seconds, {@code time_<phase>_s}. */
    public static String key(Phase phase) {
        return "time_" + phase.name().toLowerCase(Locale.ROOT) + "_s";
    }

    /** {@link #key} to seconds for every phase, in phase order. */
    public Map<String, Double> secondsByName() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Phase phase : Phase.values()) {
            out.put(key(phase), seconds(phase));
        }
        return out;
    }
}
