package dev.densify.core.train;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.name.Names;
import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.buffer.Heartbeats;
import dev.densify.core.buffer.RedisBufferProvider;
import dev.densify.core.buffer.RemoteSettings;
import dev.densify.core.buffer.RedisTrajectoryBuffer;
import dev.densify.core.buffer.policy.PolicyChecksumException;
import dev.densify.core.buffer.policy.PolicyStore;
import dev.densify.core.buffer.policy.PolicyVersion;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.inject.DensifyModule;
import dev.densify.core.plugin.PluginRegistry;
import dev.densify.core.redis.RedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rollout worker for asynchronous training ({@code densify worker}): builds the run's environment and policy from
 * the run's composed configuration, then repeats: pick up the newest policy version the learner published (only
 * here, between groups, so every episode is produced by one policy version, which its trajectory records), collect
 * one group of {@code trainer.group_size} episodes of a task drawn from the worker's own seeded random stream,
 * append the trajectories to the Redis stream, publish a heartbeat. It stops when the learner marks the run
 * finished, after {@code buffer.worker_max_episodes} episodes or {@code buffer.worker_max_seconds} seconds, or when
 * its thread is interrupted.
 *
 * <p>Before every group the worker reads the learner's {@link RunFingerprint} (published when the learner starts)
 * and compares its own: on any difference it is refused with an {@link IllegalArgumentException} naming the keys
 * that differ, before it appends anything; while none is published it waits. Its trajectories carry the digest of
 * its fingerprint, and the learner drops those that do not carry its own. While Redis is unreachable every call retries (logging once per interval) and the
 * loop resumes where it was; an append whose reply was lost is retried, and the learner drops the second copy.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Worker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private static final Duration IDLE = Duration.ofMillis(200);

    private final String workerId;
    private final String session;
    private final RemoteSettings remote;
    private final TrainerSettings trainer;
    private final TaskSet tasks;
    private final RedisConnection connection;
    private final RedisTrajectoryBuffer buffer;
    private final Heartbeats heartbeats;
    private final PolicyStore store;
    private final Rollouts rollouts;
    private final LanguagePolicy policy;
    private final SplittableRandom random;
    private final RunFingerprint fingerprint;
    /** The learner's fingerprint as last read and found equal to ours. */
    private String admittedBy = "";

    /** How a worker's loop ended. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record Summary(String workerId, long episodes, long groups, long policyVersionsLoaded, String stopReason) {}

    private Worker(String workerId, ComposedConfig config, PluginRegistry registry) {
        this.workerId = workerId;
        this.remote = RedisBufferProvider.settings(config, registry).orElseThrow(() -> new IllegalArgumentException(
                "a worker needs buffer=redis, the configuration selects buffer=" + config.selected("buffer")));
        this.trainer = config.group("trainer").bind(TrainerSettings.class);
        PolicySettings policySettings = config.group("policy").bind(PolicySettings.class);
        Injector injector = Guice.createInjector(new DensifyModule(config, registry));
        // What is opened here is closed again when a later step fails: a worker that cannot start leaves no
        // collector pools, Redis pool or model behind.
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            this.rollouts = new Rollouts(injector.getInstance(EnvironmentProvider.class),
                    injector.getInstance(Key.get(PluginConfig.class, Names.named("env"))), trainer);
            opened.add(rollouts);
            this.tasks = rollouts.tasks();
            // Different workers (and a restarted one) draw different tasks and never reuse trajectory ids.
            this.random = new SplittableRandom(trainer.seed() * 0x9E3779B97F4A7C15L
                    ^ workerId.hashCode() * 0xBF58476D1CE4E5B9L ^ System.nanoTime());
            this.session = Long.toHexString(random.nextLong() >>> 16);
            this.connection = RedisConnection.open(remote.redis(), "densify-worker-" + workerId);
            opened.add(connection);
            this.buffer = new RedisTrajectoryBuffer(connection, remote.bufferConfig("worker-" + workerId));
            opened.add(buffer);
            this.heartbeats = Heartbeats.of(connection, remote.namespace());
            this.store = remote.openPolicyStore(connection);
            opened.add(store);
            // The weights are replaced by the learner's before the first episode; the preset only fixes the shapes.
            this.policy = LanguagePolicy.of(TrainingRun.policy(policySettings, trainer.seed()), policySettings,
                    trainer.criticFeatureTokens());
            opened.add(policy.model());
            this.fingerprint = RunFingerprint.of(config, tasks).withPolicy(policy.model());
        } catch (RuntimeException | Error e) {
            Closing.closeAll(opened, e);
            throw e;
        }
    }

    /** A worker named {@code workerId} (letters, digits and {@code ._-}) for the run {@code config} describes. */
    public static Worker open(ComposedConfig config, PluginRegistry registry, String workerId) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(workerId, "workerId");
        if (!workerId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("worker id '" + workerId
                    + "' must be 1-64 letters, digits, dots, underscores or hyphens");
        }
        return new Worker(workerId, config, registry);
    }

    /** Collects until the run is finished or a limit is reached. */
    public Summary run() {
        long start = System.nanoTime();
        long episodes = 0;
        long groups = 0;
        long loaded = 0;
        Optional<Long> current = Optional.empty();
        long nextWaitLog = 0;
        LOG.info("worker {} feeds {} (groups of {} episodes)", workerId, buffer.config().streamKey(),
                trainer.groupSize());
        while (true) {
            Optional<String> stop = stopReason(episodes, start);
            if (stop.isPresent()) {
                LOG.info("worker {} stops after {} episodes: {}", workerId, episodes, stop.get());
                return new Summary(workerId, episodes, groups, loaded, stop.get());
            }
            if (!admitted()) {
                heartbeats.publish(workerId, episodes, policy.version());
                if (System.nanoTime() >= nextWaitLog) {
                    LOG.info("worker {}: waiting for the learner to publish its run fingerprint to {}", workerId,
                            remote.fingerprintKey());
                    nextWaitLog = System.nanoTime() + Duration.ofMillis(remote.waitLogMs()).toNanos();
                }
                pause();
                continue;
            }
            Optional<PolicyVersion> latest = store.latest();
            if (latest.isEmpty()) {
                heartbeats.publish(workerId, episodes, policy.version());
                if (System.nanoTime() >= nextWaitLog) {
                    LOG.info("worker {}: waiting for the learner to publish a policy to {}", workerId, store);
                    nextWaitLog = System.nanoTime() + Duration.ofMillis(remote.waitLogMs()).toNanos();
                }
                pause();
                continue;
            }
            if (current.isEmpty() || current.get() != latest.get().version()) {
                if (!load(latest.get())) {
                    pause();
                    continue;
                }
                current = Optional.of(latest.get().version());
                loaded++;
            }
            List<Trajectory> trajectories = collectGroup(groups);
            trajectories.forEach(buffer::append);
            groups++;
            episodes += trajectories.size();
            heartbeats.publish(workerId, episodes, policy.version());
        }
    }

    /**
     * Whether the learner's published fingerprint matches ours; false while none is published. Read before every
     * group, so a learner restarted with another configuration stops this worker before its next group.
     */
    private boolean admitted() {
        // call() refuses a null reply: absent is an empty Optional
        Optional<String> published = connection.call("read " + remote.fingerprintKey(),
                c -> Optional.ofNullable(c.get(remote.fingerprintKey())));
        if (published.isEmpty()) {
            return false;
        }
        String json = published.get();
        if (json.equals(admittedBy)) {
            return true;
        }
        RunFingerprint learner = RunFingerprint.fromJson(json, remote.fingerprintKey());
        List<String> differences = fingerprint.differencesFrom(learner);
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("worker " + workerId + " refused: its configuration differs from the"
                    + " learner's (" + remote.fingerprintKey() + ") in " + String.join(", ", differences)
                    + "; start it with the learner's configuration, e.g. --config runs/<id>/config.yaml");
        }
        buffer.useFingerprint(fingerprint.restrictedTo(learner.entries().keySet()).digest());
        if (!admittedBy.isEmpty()) {
            LOG.info("worker {}: the learner's run fingerprint changed and still matches", workerId);
        }
        admittedBy = json;
        LOG.info("worker {}: run fingerprint {} matches the learner's", workerId,
                learner.digest().substring(0, 12));
        return true;
    }

    private boolean load(PolicyVersion version) {
        try {
            PolicyWeights.load(policy.model(), store.fetch(version));
            policy.setVersion(version.version());
            LOG.debug("worker {} acts with policy version {}", workerId, version.version());
            return true;
        } catch (IllegalStateException | PolicyChecksumException e) {
            // pruned or replaced between latest() and fetch(): ask for the newest again
            LOG.info("worker {}: policy version {} unavailable ({}); retrying", workerId, version.version(),
                    e.getMessage());
            return false;
        }
    }

    private List<Trajectory> collectGroup(long group) {
        Task task = tasks.train().get(random.nextInt(tasks.train().size()));
        String groupId = workerId + "/" + session + "-g" + group;
        List<EpisodeSpec> specs = new ArrayList<>();
        // The episodes of a group start from the same state, as in local collection.
        long reset = random.nextLong();
        for (int e = 0; e < trainer.groupSize(); e++) {
            specs.add(new EpisodeSpec(groupId + "-e" + e, task, reset, groupId));
        }
        return rollouts.collector().collect(specs, policy, random.nextLong()).trajectories();
    }

    private Optional<String> stopReason(long episodes, long start) {
        if (Thread.currentThread().isInterrupted()) {
            return Optional.of("interrupted");
        }
        if (remote.workerMaxEpisodes() > 0 && episodes >= remote.workerMaxEpisodes()) {
            return Optional.of("buffer.worker_max_episodes=" + remote.workerMaxEpisodes() + " reached");
        }
        if (remote.workerMaxSeconds() > 0 && System.nanoTime() - start >= remote.workerMaxSeconds() * 1_000_000_000L) {
            return Optional.of("buffer.worker_max_seconds=" + remote.workerMaxSeconds() + " reached");
        }
        boolean finished = connection.call("read " + remote.finishedKey(), c -> c.exists(remote.finishedKey()));
        return finished ? Optional.of("the learner marked the run finished") : Optional.empty();
    }

    private void pause() {
        try {
            Thread.sleep(IDLE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        rollouts.close();
        policy.model().close();
        store.close();
        buffer.close();
        connection.close();
    }
}
