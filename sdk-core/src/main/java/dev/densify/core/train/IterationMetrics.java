package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.core.train.PhaseTimes.Phase;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one iteration measured: the schema of a {@code metrics.jsonl} line. Each component's {@code @param} names its
 * JSON key and says what it means; {@code docs/metrics.md} is generated from them (a test keeps the two equal).
 * {@link #toMap} gives the line in its key order, {@link #fromMap} reads a line back. A key that a line lacks (a
 * line of an earlier version) reads as NaN, 0, empty or absent, as the line's readers have always treated it.
 *
 * @param iteration {@code iteration} the iteration's index, from 0
 * @param episodes {@code episodes} episodes the run has attempted so far, this iteration's included (training
 *     episodes and fork rollouts; not evaluation episodes)
 * @param policyVersion {@code policy_version} the policy's version after this iteration's update
 * @param train the training batch's outcomes (keys {@code train_*})
 * @param uniformGroups {@code train_uniform_groups} the fraction of the batch's groups whose outcomes are all
 *     equal: a group-relative algorithm's outcome advantage is 0 on all their steps
 * @param startValueEvBound {@code start_value_ev_bound} the most of the outcomes' variance a critic could explain
 *     at the episodes' start states (1 - within-group variance / total variance); NaN without a group of two
 * @param update the policy update
 * @param critic the critic's fit and its values on the batch
 * @param forks Monte Carlo values from rollouts on forks; present only with a positive {@code credit.fork_rollouts}
 * @param shaperFitLoss {@code shaper_fit_loss} the learned shapers' mean fit loss on the batch; NaN without one
 * @param rewards per-step statistics of the sparse and the dense rewards
 * @param throughput episodes and tokens per second
 * @param volume how much the iteration generated and trained on
 * @param failures {@code failures} dropped episodes by reason (lower case), sorted by reason
 * @param deliveriesHeld {@code deliveries_held} trajectories trained on but not yet acknowledged to the buffer
 *     (a checkpoint settles them)
 * @param collection what remote collection adds about the buffer and its workers ({@code buffer_*},
 *     {@code policy_lag_*}, {@code workers_*}, {@code trajectory_*}), written as given; empty for local collection
 * @param heldOut the held-out evaluation (keys {@code heldout_*}); present only on evaluation iterations
 * @param alarm {@code alarm_value_without_success} whether the reward-hacking alarm fired on this iteration
 * @param timing where the iteration's wall time went
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record IterationMetrics(int iteration, long episodes, int policyVersion, Outcomes train, double uniformGroups,
                               double startValueEvBound, UpdateStats update, CriticStats critic,
                               Optional<Forks> forks, double shaperFitLoss, Rewards rewards, Throughput throughput,
                               Volume volume, Map<String, Integer> failures, int deliveriesHeld,
                               Map<String, Object> collection, Optional<Outcomes> heldOut, boolean alarm,
                               Timing timing) {

    public IterationMetrics {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(update, "update");
        Objects.requireNonNull(critic, "critic");
        Objects.requireNonNull(forks, "forks");
        Objects.requireNonNull(rewards, "rewards");
        Objects.requireNonNull(throughput, "throughput");
        Objects.requireNonNull(volume, "volume");
        Objects.requireNonNull(heldOut, "heldOut");
        Objects.requireNonNull(timing, "timing");
        failures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(failures));
        collection = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(collection));
    }

    /**
     * Success on a set of episodes, with its interval; the keys name the set ({@code <set>} is {@code train} or
     * {@code heldout}). Dropped episodes count as failures.
     *
     * @param success {@code <set>_success} the fraction of the set's attempted episodes that succeeded
     * @param low {@code <set>_success_low} the lower end of its 95% Wilson interval
     * @param high {@code <set>_success_high} the upper end of its 95% Wilson interval
     * @param episodes {@code <set>_episodes} the set's episodes attempted, dropped ones included
     * @param meanOutcome {@code <set>_mean_outcome} the mean outcome reward of the completed episodes
     * @param episodeLength {@code <set>_episode_length} the mean number of agent steps of the completed episodes
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Outcomes(double success, double low, double high, int episodes, double meanOutcome,
                           double episodeLength) {}

    /**
     * The policy update.
     *
     * @param klToReference {@code kl_to_reference} the policy's KL divergence to the reference on the batch
     * @param policyLoss {@code policy_loss} the algorithm's mean loss over the updates
     * @param clipFraction {@code clip_fraction} the mean fraction of tokens whose ratio was clipped
     * @param entropy {@code entropy} the policy's mean per-token entropy on the batch
     * @param gradNorm {@code grad_norm} the mean gradient norm before clipping
     * @param updates {@code updates} optimizer steps taken
     * @param skipped {@code updates_skipped} optimizer steps skipped for a non-finite loss or gradient
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record UpdateStats(double klToReference, double policyLoss, double clipFraction, double entropy,
                              double gradNorm, int updates, int skipped) {}

    /**
     * The critic's fit on this batch and its values V(s) on it (predicted before the fit, except on the first
     * iteration, whose critic is fitted before its first use).
     *
     * @param trainLoss {@code critic_train_loss} the fit's loss on its training part
     * @param heldOutLoss {@code critic_heldout_loss} the fit's loss on its held-out part
     * @param heldOutEv {@code critic_heldout_ev} explained variance of the returns on the fit's held-out part
     * @param nextBatchEv {@code critic_next_batch_ev} explained variance of the returns by the values the rewards
     *     were built from, on a batch the critic had not been fitted on; NaN on the first iteration
     * @param calibrationError {@code critic_calibration_error} the fit's calibration error on its held-out part
     * @param epochs {@code critic_epochs} epochs the fit ran
     * @param valueByStep {@code value_by_step} the mean V(s_t) over the batch for each step index t
     * @param valueOnInvalidStates {@code critic_value_invalid_state} the mean V(s) over states the environment
     *     marked invalid (dead ends); NaN when the batch reached none
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record CriticStats(double trainLoss, double heldOutLoss, double heldOutEv, double nextBatchEv,
                              double calibrationError, int epochs, List<Double> valueByStep,
                              double valueOnInvalidStates) {
        public CriticStats {
            valueByStep = List.copyOf(valueByStep);
        }

        /** The mean predicted value of the episodes' start states; NaN for an empty batch. */
        public double startValue() {
            return valueByStep.isEmpty() ? Double.NaN : valueByStep.get(0);
        }
    }

    /**
     * Monte Carlo values: rollouts of the policy from every state of the batch, on forks of its environment.
     *
     * @param rollouts {@code fork_rollouts} the rollouts attempted (they count as episodes)
     * @param valuesMissing {@code fork_values_missing} states whose rollouts all failed (the critic's value
     *     stands in)
     * @param criticEv {@code critic_fork_ev} explained variance of the rollouts' values by the critic's, on the
     *     states they measured
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Forks(int rollouts, long valuesMissing, double criticEv) {}

    /**
     * Rewards per step: the sparse ones (the outcome on the last step) and the dense ones trained on.
     *
     * @param sparse the sparse rewards (keys {@code reward_sparse_*})
     * @param dense the dense rewards after shaping and normalisation (keys {@code reward_dense_*})
     * @param denseReturnMean {@code dense_return_mean} the mean over episodes of the sum of their dense rewards
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Rewards(RewardStats sparse, RewardStats dense, double denseReturnMean) {}

    /**
     * Statistics over every step of the batch; NaN for a batch without steps. The keys name the kind
     * ({@code <kind>} is {@code sparse} or {@code dense}).
     *
     * @param mean {@code reward_<kind>_mean} the mean per-step reward
     * @param std {@code reward_<kind>_std} the standard deviation of the per-step rewards
     * @param min {@code reward_<kind>_min} the smallest per-step reward
     * @param max {@code reward_<kind>_max} the largest per-step reward
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record RewardStats(double mean, double std, double min, double max) {}

    /**
     * Speeds.
     *
     * @param episodesPerS {@code episodes_per_s} training episodes attempted per second of collection
     * @param tokensPerS {@code tokens_per_s} action tokens generated per second of collection
     * @param trainTokensPerS {@code train_tokens_per_s} tokens trained on per second of the update
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Throughput(double episodesPerS, double tokensPerS, double trainTokensPerS) {}

    /**
     * How much the iteration generated and trained on.
     *
     * @param agentSteps {@code agent_steps} agent steps in the batch
     * @param promptTokens {@code prompt_tokens} prompt tokens over the batch's steps
     * @param generatedTokens {@code generated_tokens} action tokens generated in collection
     * @param updateTokens {@code update_tokens} tokens the update trained on
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Volume(int agentSteps, long promptTokens, long generatedTokens, long updateTokens) {}

    /**
     * Wall time. Nested phases are parts of their parents (see {@link Phase}).
     *
     * @param seconds {@code seconds} the iteration's wall time up to its metrics line (its checkpoint not included)
     * @param phases {@code time_<phase>_s} seconds spent in the phase {@code <phase>} (see {@link Phase}: some
     *     phases are parts of others)
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Timing(double seconds, Map<Phase, Double> phases) {
        public Timing {
            Map<Phase, Double> copy = new EnumMap<>(Phase.class);
            copy.putAll(phases);
            phases = java.util.Collections.unmodifiableMap(copy);
        }

        /** What a finished iteration's {@code times} say, with {@code seconds} of wall time. */
        static Timing of(double seconds, PhaseTimes times) {
            Map<Phase, Double> phases = new EnumMap<>(Phase.class);
            for (Phase phase : Phase.values()) {
                phases.put(phase, times.seconds(phase));
            }
            return new Timing(seconds, phases);
        }

        /** Seconds in {@code phase}; NaN when the line does not say. */
        public double seconds(Phase phase) {
            return phases.getOrDefault(phase, Double.NaN);
        }
    }

    /** The held-out success as an interval, when this iteration evaluated. */
    public Optional<Confidence.Interval> heldOutSuccess() {
        return heldOut.map(h -> new Confidence.Interval(h.success(), h.low(), h.high()));
    }

    /** This with {@code alarm} in place of its own. */
    public IterationMetrics withAlarm(boolean fired) {
        return new IterationMetrics(iteration, episodes, policyVersion, train, uniformGroups, startValueEvBound, update,
                critic, forks, shaperFitLoss, rewards, throughput, volume, failures, deliveriesHeld, collection,
                heldOut, fired, timing);
    }

    /** This with {@code timing} in place of its own. */
    public IterationMetrics withTiming(Timing timing) {
        return new IterationMetrics(iteration, episodes, policyVersion, train, uniformGroups, startValueEvBound, update,
                critic, forks, shaperFitLoss, rewards, throughput, volume, failures, deliveriesHeld, collection,
                heldOut, alarm, timing);
    }

    /** The metrics line: every key in its place, values as numbers, booleans, lists and maps. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("iteration", iteration);
        m.put("episodes", episodes);
        m.put("policy_version", policyVersion);
        put(m, "train", train);
        m.put("train_uniform_groups", uniformGroups);
        m.put("start_value_ev_bound", startValueEvBound);
        m.put("kl_to_reference", update.klToReference());
        m.put("policy_loss", update.policyLoss());
        m.put("clip_fraction", update.clipFraction());
        m.put("entropy", update.entropy());
        m.put("grad_norm", update.gradNorm());
        m.put("updates", update.updates());
        m.put("updates_skipped", update.skipped());
        m.put("critic_train_loss", critic.trainLoss());
        m.put("critic_heldout_loss", critic.heldOutLoss());
        m.put("critic_heldout_ev", critic.heldOutEv());
        m.put("critic_next_batch_ev", critic.nextBatchEv());
        forks.ifPresent(f -> {
            m.put("fork_rollouts", f.rollouts());
            m.put("fork_values_missing", f.valuesMissing());
            m.put("critic_fork_ev", f.criticEv());
        });
        m.put("critic_calibration_error", critic.calibrationError());
        m.put("critic_epochs", critic.epochs());
        m.put("value_by_step", critic.valueByStep());
        m.put("critic_value_invalid_state", critic.valueOnInvalidStates());
        m.put("shaper_fit_loss", shaperFitLoss);
        put(m, "reward_sparse", rewards.sparse());
        put(m, "reward_dense", rewards.dense());
        m.put("dense_return_mean", rewards.denseReturnMean());
        m.put("episodes_per_s", throughput.episodesPerS());
        m.put("tokens_per_s", throughput.tokensPerS());
        m.put("train_tokens_per_s", throughput.trainTokensPerS());
        m.put("agent_steps", volume.agentSteps());
        m.put("prompt_tokens", volume.promptTokens());
        m.put("generated_tokens", volume.generatedTokens());
        m.put("update_tokens", volume.updateTokens());
        m.put("failures", failures);
        m.put("deliveries_held", deliveriesHeld);
        m.putAll(collection);
        heldOut.ifPresent(h -> put(m, "heldout", h));
        m.put("alarm_value_without_success", alarm);
        m.put("seconds", timing.seconds());
        timing.phases().forEach((phase, s) -> m.put(PhaseTimes.key(phase), s));
        return m;
    }

    private static void put(Map<String, Object> m, String prefix, Outcomes o) {
        m.put(prefix + "_success", o.success());
        m.put(prefix + "_success_low", o.low());
        m.put(prefix + "_success_high", o.high());
        m.put(prefix + "_episodes", o.episodes());
        m.put(prefix + "_mean_outcome", o.meanOutcome());
        m.put(prefix + "_episode_length", o.episodeLength());
    }

    private static void put(Map<String, Object> m, String prefix, RewardStats r) {
        m.put(prefix + "_mean", r.mean());
        m.put(prefix + "_std", r.std());
        m.put(prefix + "_min", r.min());
        m.put(prefix + "_max", r.max());
    }

    /**
     * Reads a metrics line (as JSON gives it: numbers, {@code "NaN"} and infinities as strings, lists, maps). Keys
     * the schema does not know are remote collection's, kept in {@link #collection} in their order.
     */
    public static IterationMetrics fromMap(Map<String, ?> line) {
        Line l = new Line(line);
        Outcomes train = l.outcomes("train");
        double uniform = l.number("train_uniform_groups");
        double bound = l.number("start_value_ev_bound");
        UpdateStats update = new UpdateStats(l.number("kl_to_reference"), l.number("policy_loss"),
                l.number("clip_fraction"), l.number("entropy"), l.number("grad_norm"), (int) l.count("updates"),
                (int) l.count("updates_skipped"));
        Optional<Forks> forks = l.has("fork_rollouts") ? Optional.of(new Forks((int) l.count("fork_rollouts"),
                l.count("fork_values_missing"), l.number("critic_fork_ev"))) : Optional.empty();
        CriticStats critic = new CriticStats(l.number("critic_train_loss"), l.number("critic_heldout_loss"),
                l.number("critic_heldout_ev"), l.number("critic_next_batch_ev"), l.number("critic_calibration_error"),
                (int) l.count("critic_epochs"), l.numbers("value_by_step"), l.number("critic_value_invalid_state"));
        Rewards rewards = new Rewards(l.rewardStats("reward_sparse"), l.rewardStats("reward_dense"),
                l.number("dense_return_mean"));
        Throughput throughput = new Throughput(l.number("episodes_per_s"), l.number("tokens_per_s"),
                l.number("train_tokens_per_s"));
        Volume volume = new Volume((int) l.count("agent_steps"), l.count("prompt_tokens"),
                l.count("generated_tokens"), l.count("update_tokens"));
        Map<String, Integer> failures = l.counts("failures");
        Optional<Outcomes> heldOut = l.has("heldout_success") ? Optional.of(l.outcomes("heldout")) : Optional.empty();
        Map<Phase, Double> phases = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            if (l.has(PhaseTimes.key(phase))) {
                phases.put(phase, l.number(PhaseTimes.key(phase)));
            }
        }
        Timing timing = new Timing(l.number("seconds"), phases);
        int iteration = (int) l.count("iteration");
        long episodes = l.count("episodes");
        int policyVersion = (int) l.count("policy_version");
        double shaperFitLoss = l.number("shaper_fit_loss");
        int held = (int) l.count("deliveries_held");
        boolean alarm = l.flag("alarm_value_without_success");
        // last: what no read took is remote collection's
        Map<String, Object> collection = l.rest();
        return new IterationMetrics(iteration, episodes, policyVersion, train, uniform, bound, update, critic, forks,
                shaperFitLoss, rewards, throughput, volume, failures, held, collection, heldOut, alarm, timing);
    }

    /** A line being read: what each key holds, and which keys were read. */
    private static final class Line {
        private final Map<String, ?> values;
        private final Set<String> read = new HashSet<>();

        Line(Map<String, ?> values) {
            this.values = values;
        }

        boolean has(String key) {
            return values.containsKey(key);
        }

        private Object get(String key) {
            read.add(key);
            return values.get(key);
        }

        double number(String key) {
            return number(get(key));
        }

        static double number(Object v) {
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            if (v instanceof String s) {
                // JSON has no NaN or infinities: they are written as these strings
                return switch (s) {
                    case "Infinity" -> Double.POSITIVE_INFINITY;
                    case "-Infinity" -> Double.NEGATIVE_INFINITY;
                    default -> Double.NaN;
                };
            }
            return Double.NaN;
        }

        long count(String key) {
            return get(key) instanceof Number n ? n.longValue() : 0;
        }

        boolean flag(String key) {
            return get(key) instanceof Boolean b && b;
        }

        List<Double> numbers(String key) {
            List<Double> out = new ArrayList<>();
            if (get(key) instanceof List<?> list) {
                list.forEach(v -> out.add(number(v)));
            }
            return out;
        }

        Map<String, Integer> counts(String key) {
            Map<String, Integer> out = new LinkedHashMap<>();
            if (get(key) instanceof Map<?, ?> map) {
                map.forEach((k, v) -> out.put(String.valueOf(k), v instanceof Number n ? n.intValue() : 0));
            }
            return out;
        }

        Outcomes outcomes(String prefix) {
            return new Outcomes(number(prefix + "_success"), number(prefix + "_success_low"),
                    number(prefix + "_success_high"), (int) count(prefix + "_episodes"),
                    number(prefix + "_mean_outcome"), number(prefix + "_episode_length"));
        }

        RewardStats rewardStats(String prefix) {
            return new RewardStats(number(prefix + "_mean"), number(prefix + "_std"), number(prefix + "_min"),
                    number(prefix + "_max"));
        }

        /** The keys not read, in the line's order. */
        Map<String, Object> rest() {
            Map<String, Object> out = new LinkedHashMap<>();
            values.forEach((k, v) -> {
                if (!read.contains(k)) {
                    out.put(k, v);
                }
            });
            return out;
        }
    }
}
