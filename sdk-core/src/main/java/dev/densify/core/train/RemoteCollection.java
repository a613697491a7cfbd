package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.buffer.BufferStatus;
import dev.densify.api.buffer.Delivery;
import dev.densify.core.buffer.Heartbeats;
import dev.densify.core.buffer.PolicyLagFilter;
import dev.densify.api.buffer.Receipt;
import dev.densify.core.buffer.RedisTrajectoryBuffer;
import dev.densify.core.buffer.Rejection;
import dev.densify.core.buffer.RemoteSettings;
import dev.densify.core.buffer.WorkerStatus;
import dev.densify.core.buffer.policy.PolicyStore;
import dev.densify.core.buffer.policy.PolicyVersion;
import dev.densify.core.redis.RedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learner's side of asynchronous training: rollout workers ({@link Worker}) append trajectories to a Redis
 * stream, and each iteration takes {@code trainer.episodes_per_iteration} of them, whole groups first.
 *
 * <p>Staleness: a trajectory records the policy version that produced it. Those more than
 * {@code buffer.max_policy_lag} versions behind the learner are discarded from the buffer and counted (metric
 * {@code buffer_dropped_stale}); the rest are trained as they are. Their recorded token log-probabilities are those
 * of the policy that acted, and the algorithm's ratio {@code exp(log pi_new - log pi_old)} against them is exactly
 * the importance weight that corrects for the lag (clipped by PPO/GRPO like any other off-policy ratio), so nothing
 * else is needed here.
 *
 * <p>Exactly-once training: deliveries are acknowledged only once the update that used them is checkpointed
 * ({@link #acknowledge}); receipts stored in the checkpoint are acknowledged again on resume
 * ({@link #acknowledgeReceipts}); anything else this learner held when it died is delivered again, and the buffer
 * drops second copies of a trajectory id.
 *
 * <p>Validation: every delivery is checked by a {@link TrajectoryValidator} before it is held for a batch (token ids
 * in the policy's vocabulary and context, finite numbers, the step limit, a training task of the learner's task set,
 * a policy version the learner published, the group size). An invalid one is rejected: acknowledged, counted by
 * reason (metric {@code buffer_rejected}, and {@code buffer status}), logged once with its id and copied to the
 * dead-letter stream. It is never retried, so no restarted learner takes it over and dies on it.
 *
 * <p>Fingerprint: before the first batch the learner publishes its {@link RunFingerprint} (completed with its
 * policy's tokenizer and architecture) at {@link RemoteSettings#fingerprintKey()}; workers compare theirs with it at
 * start, and the buffer drops entries that do not carry its digest.
 *
 * <p>Policy distribution: before collecting an iteration the learner's current version is published if it was not
 * yet (the warm-started or resumed policy), and after every update through {@link #published}. When the run's last
 * iteration has been taken and the source closes, the run is marked finished so that workers stop.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RemoteCollection implements BatchSource {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteCollection.class);
    private static final Duration POLL = Duration.ofSeconds(1);

    private final RemoteSettings settings;
    private final RedisConnection connection;
    private final RedisTrajectoryBuffer buffer;
    private final Heartbeats heartbeats;
    private final PolicyStore store;
    private final PolicyLagFilter lag;
    private final int episodes;
    private final int groupSize;
    private final int iterations;
    private final RunFingerprint fingerprint;
    private final TrajectoryValidator.Partial validation;
    private TrajectoryValidator validator;
    private boolean fingerprintPublished;
    /** The newest policy version published to the store, by this learner or the one it replaces. */
    private long newestPublished = -1;
    private final Map<String, Integer> rejectedThisIteration = new java.util.TreeMap<>();
    /** Delivered but not yet in a batch (the rest of a group, or more than an iteration needed), by group. */
    private final LinkedHashMap<String, List<Delivery>> held = new LinkedHashMap<>();
    private OptionalLong publishedVersion = OptionalLong.empty();
    private boolean lastIterationTaken;

    /**
     * @param trainer the run's trainer settings: episodes per iteration, group size, step limit, and the iteration
     *     count (once the batch of the last one is taken and the source closes normally, workers are told to stop)
     * @param tasks the run's task set: only its training tasks' ids are accepted
     * @param fingerprint the run's fingerprint ({@link RunFingerprint#of}); the policy's part is added before the
     *     first batch
     */
    public RemoteCollection(RemoteSettings settings, TrainerSettings trainer, dev.densify.api.env.TaskSet tasks,
                            RunFingerprint fingerprint) {
        this(settings, trainer.episodesPerIteration(), trainer.groupSize(), trainer.iterations(),
                Objects.requireNonNull(fingerprint, "fingerprint"),
                new TrajectoryValidator.Partial(trainer.maxSteps(), java.util.Optional.of(
                        Objects.requireNonNull(tasks, "tasks").train().stream().map(dev.densify.api.env.Task::id)
                                .collect(Collectors.toSet()))));
    }

    private RemoteCollection(RemoteSettings settings, int episodesPerIteration, int groupSize, int iterations,
                             RunFingerprint fingerprint, TrajectoryValidator.Partial validation) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.episodes = episodesPerIteration;
        this.groupSize = groupSize;
        this.iterations = iterations;
        this.fingerprint = fingerprint;
        this.validation = validation;
        this.lag = new PolicyLagFilter(settings.maxPolicyLag());
        this.connection = RedisConnection.open(settings.redis(), "densify-" + settings.consumer());
        List<AutoCloseable> opened = new ArrayList<>(List.of(connection));
        try {
            this.buffer = new RedisTrajectoryBuffer(connection, settings.bufferConfig(settings.consumer()));
            opened.add(buffer);
            this.heartbeats = Heartbeats.of(connection, settings.namespace());
            this.store = settings.openPolicyStore(connection);
            opened.add(store);
            // The first calls to Redis: one that gives up (Redis unreachable) leaves no connection pool behind.
            store.latest().ifPresent(v -> newestPublished = v.version());
            connection.call("clear " + settings.finishedKey(), c -> c.del(settings.finishedKey()));
        } catch (RuntimeException | Error e) {
            Closing.closeAll(opened, e);
            throw e;
        }
        LOG.info("learner reads {} as '{}'; workers: densify worker --redis <url> with the same configuration",
                settings.bufferConfig(settings.consumer()).streamKey(), settings.consumer());
    }

    @Override
    public Batch next(int iteration, LanguagePolicy policy, long seed) {
        publishFingerprint(policy);
        publishIfNew(policy);
        rejectedThisIteration.clear();
        long start = System.nanoTime();
        long waitLogNanos = Duration.ofMillis(settings.waitLogMs()).toNanos();
        long nextLog = start + waitLogNanos;
        List<Delivery> batch = new ArrayList<>();
        int stale = dropStale(policy.version());
        boolean quiet = false;
        while (true) {
            fill(batch, quiet);
            if (batch.size() >= episodes) {
                break;
            }
            List<Delivery> taken = take(episodes - batch.size() - heldCount());
            // quiet means the stream had nothing: a take that was all invalid is not a reason to split groups
            quiet = taken.isEmpty();
            List<Delivery> got = valid(taken, policy.version());
            PolicyLagFilter.Split split = lag.apply(buffer, got, policy.version());
            stale += split.stale().size();
            split.fresh().forEach(d -> held.computeIfAbsent(d.trajectory().groupId(), g -> new ArrayList<>()).add(d));
            if (quiet && System.nanoTime() >= nextLog) {
                logWaiting(iteration, batch.size());
                nextLog = System.nanoTime() + waitLogNanos;
            }
        }
        if (iteration + 1 >= iterations) {
            lastIterationTaken = true;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Batch(batch, stats(batch, seconds), metrics(batch, stale, policy.version(), seconds));
    }

    /** The valid deliveries of {@code got}; the others are rejected from the buffer (counted, dead-lettered). */
    private List<Delivery> valid(List<Delivery> got, long learnerVersion) {
        long newest = Math.max(learnerVersion, newestPublished);
        List<Delivery> ok = new ArrayList<>(got.size());
        List<Rejection> rejected = new ArrayList<>();
        for (Delivery d : got) {
            var violation = validator.check(d.trajectory(), newest);
            if (violation.isPresent()) {
                rejected.add(new Rejection(d, violation.get().reason(), violation.get().detail()));
                rejectedThisIteration.merge(violation.get().reason(), 1, Integer::sum);
            } else {
                ok.add(d);
            }
        }
        if (!rejected.isEmpty()) {
            buffer.reject(rejected);
        }
        return ok;
    }

    /**
     * Once, before the first batch: completes the fingerprint with the policy's tokenizer and architecture,
     * publishes it for workers, and makes the buffer refuse entries that do not carry its digest.
     */
    private void publishFingerprint(LanguagePolicy policy) {
        if (fingerprintPublished) {
            return;
        }
        RunFingerprint full = fingerprint.withPolicy(policy.model());
        validator = validation.complete(policy.model().config().vocabSize(), policy.model().config().maxSeqLen(),
                groupSize);
        buffer.useFingerprint(full.digest());
        connection.call("set " + settings.fingerprintKey(), c -> c.set(settings.fingerprintKey(), full.toJson()));
        fingerprintPublished = true;
        LOG.info("learner run fingerprint {} published to {}", full.digest().substring(0, 12),
                settings.fingerprintKey());
    }

    /** Moves held groups into the batch while they fit: complete ones, or, when the stream went quiet, any. */
    private void fill(List<Delivery> batch, boolean quiet) {
        for (var it = held.entrySet().iterator(); it.hasNext() && batch.size() < episodes; ) {
            List<Delivery> group = it.next().getValue();
            boolean whole = group.size() >= groupSize;
            if ((whole || quiet) && batch.size() + group.size() <= episodes) {
                batch.addAll(group);
                it.remove();
            } else if (quiet && batch.size() + group.size() > episodes) {
                // a group larger than the room left (a worker with another group size): split it
                int room = episodes - batch.size();
                batch.addAll(group.subList(0, room));
                group.subList(0, room).clear();
            }
        }
    }

    private List<Delivery> take(int wanted) {
        try {
            return buffer.take(Math.max(1, wanted), POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for trajectories from rollout workers", e);
        }
    }

    /** Held deliveries that went stale while waiting are discarded like fresh stale ones. */
    private int dropStale(long version) {
        List<Delivery> all = held.values().stream().flatMap(List::stream).toList();
        held.clear();
        PolicyLagFilter.Split split = lag.apply(buffer, all, version);
        split.fresh().forEach(d -> held.computeIfAbsent(d.trajectory().groupId(), g -> new ArrayList<>()).add(d));
        return split.stale().size();
    }

    private int heldCount() {
        return held.values().stream().mapToInt(List::size).sum();
    }

    private void logWaiting(int iteration, int have) {
        List<WorkerStatus> workers = heartbeats.workers(settings.silentAfter());
        String alive = workers.stream().filter(w -> !w.silent()).map(WorkerStatus::workerId)
                .collect(Collectors.joining(", "));
        String silent = workers.stream().filter(WorkerStatus::silent).map(WorkerStatus::workerId)
                .collect(Collectors.joining(", "));
        LOG.info("iteration {}: waiting for trajectories ({} of {}, {} held in partial groups) from {}; workers alive:"
                        + " [{}], silent: [{}]{}", iteration + 1, have, episodes, heldCount(),
                settings.bufferConfig(settings.consumer()).streamKey(), alive, silent,
                workers.isEmpty() ? " (start some: densify worker --redis " + connection.settings() + ")" : "");
    }

    private static CollectionStats stats(List<Delivery> batch, double seconds) {
        long tokens = batch.stream().mapToLong(d -> d.trajectory().actionTokenCount()).sum();
        return new CollectionStats(batch.size(), new EnumMap<>(EpisodeFailure.Reason.class), seconds, tokens);
    }

    private Map<String, Object> metrics(List<Delivery> batch, int stale, long version, double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        BufferStatus status = buffer.status();
        long[] lags = batch.stream().mapToLong(d -> version - d.trajectory().policyVersion()).toArray();
        m.put("buffer_wait_s", seconds);
        m.put("buffer_dropped_stale", stale);
        m.put("buffer_rejected", Map.copyOf(rejectedThisIteration));
        m.put("buffer_dead_letters", status.deadLetters());
        m.put("buffer_dropped_total", status.dropped());
        m.put("buffer_length", status.length());
        m.put("buffer_pending", status.pending());
        m.put("policy_lag_mean", java.util.Arrays.stream(lags).average().orElse(0));
        m.put("policy_lag_max", java.util.Arrays.stream(lags).max().orElse(0));
        m.put("workers_alive", status.workers().size() - status.silentWorkers().size());
        m.put("workers_silent", status.silentWorkers().stream().map(WorkerStatus::workerId).toList());
        m.put("trajectory_ids", batch.stream().map(d -> d.trajectory().id()).toList());
        m.put("trajectory_workers", batch.stream().map(Delivery::trajectory).map(Trajectory::groupId)
                .map(RemoteCollection::workerOf).distinct().sorted().toList());
        return m;
    }

    /** Workers name their groups {@code <worker>/<session>-g<n>}. */
    private static String workerOf(String groupId) {
        int slash = groupId.lastIndexOf('/');
        return slash < 0 ? groupId : groupId.substring(0, slash);
    }

    private void publishIfNew(LanguagePolicy policy) {
        if (publishedVersion.isEmpty() || publishedVersion.getAsLong() != policy.version()) {
            published(policy);
        }
    }

    @Override
    public void published(LanguagePolicy policy) {
        PolicyVersion v = store.publish(policy.version(), PolicyWeights.encode(policy.model()));
        publishedVersion = OptionalLong.of(policy.version());
        newestPublished = Math.max(newestPublished, policy.version());
        LOG.debug("published policy version {} ({} bytes) to {}", v.version(), v.sizeBytes(), store);
    }

    @Override
    public void acknowledge(List<Delivery> deliveries) {
        buffer.acknowledge(deliveries);
    }

    @Override
    public void acknowledgeReceipts(Collection<Receipt> receipts) {
        buffer.acknowledgeReceipts(receipts);
    }

    @Override
    public void close() {
        try {
            if (lastIterationTaken) {
                connection.call("set " + settings.finishedKey(), c -> c.set(settings.finishedKey(), "1"));
                LOG.info("run finished: workers of {} will stop", settings.namespace());
            }
        } finally {
            store.close();
            buffer.close();
            connection.close();
        }
    }
}
