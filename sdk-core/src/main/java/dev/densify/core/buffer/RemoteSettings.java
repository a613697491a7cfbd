package dev.densify.core.buffer;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;
import dev.densify.core.buffer.policy.FolderPolicyStore;
import dev.densify.core.buffer.policy.PolicyStore;
import dev.densify.core.buffer.policy.RedisPolicyStore;
import dev.densify.core.redis.RedisConnection;
import dev.densify.core.redis.RedisSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The configuration of the {@code redis} buffer ({@link RedisBufferProvider}): where learner and rollout workers
 * meet. Every key and its default is in {@code META-INF/densify/buffer/redis.yaml}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record RemoteSettings(
        String url,
        String namespace,
        String consumer,
        long maxLen,
        long maxPolicyLag,
        long claimMinIdleMs,
        long silentAfterMs,
        long waitLogMs,
        String policyStore,
        String policyFolder,
        int keepVersions,
        long workerMaxEpisodes,
        long workerMaxSeconds) {

    public RemoteSettings {
        try {
            RedisSettings.parse(url);
            RedisSettings.requireNoPassword(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("buffer.url", e.getMessage());
        }
        try {
            RedisBufferConfig.defaults(namespace);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("buffer.namespace", e.getMessage());
        }
        try {
            RedisBufferConfig.defaults(namespace).withConsumer(consumer);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("buffer.consumer", e.getMessage());
        }
        Ranges.requireAtLeast("buffer.max_len", maxLen, 1);
        Ranges.requirePositive("buffer.claim_min_idle_ms", claimMinIdleMs);
        Ranges.requirePositive("buffer.silent_after_ms", silentAfterMs);
        Ranges.requireAtLeast("buffer.max_policy_lag", maxPolicyLag, 0);
        Ranges.requirePositive("buffer.wait_log_ms", waitLogMs);
        if (!policyStore.equals("redis") && !policyStore.equals("folder")) {
            throw new ConfigException("buffer.policy_store", "'" + policyStore + "' is not allowed; expected redis"
                    + " (weights in Redis) or folder (weights in buffer.policy_folder)");
        }
        if (policyStore.equals("folder") && policyFolder.isBlank()) {
            throw new ConfigException("buffer.policy_folder", "is empty; buffer.policy_store=folder needs a folder"
                    + " that the learner and every worker can reach");
        }
        Ranges.requireAtLeast("buffer.keep_versions", keepVersions, 1);
        if (workerMaxEpisodes < 0 || workerMaxSeconds < 0) {
            throw new ConfigException("buffer.worker_max_" + (workerMaxEpisodes < 0 ? "episodes" : "seconds"),
                    "negative values are not allowed; expected 0 (no limit) or more");
        }
    }

    public static RemoteSettings defaults() {
        return PluginConfig.defaultsOf(RemoteSettings.class, "buffer", "redis");
    }

    public RedisSettings redis() {
        return RedisSettings.parse(url);
    }

    /** The stream's settings for a process named {@code consumerName} (the learner's name, or a worker's). */
    public RedisBufferConfig bufferConfig(String consumerName) {
        return bufferConfig(namespace, consumerName, maxLen, claimMinIdleMs, silentAfterMs);
    }

    public Duration silentAfter() {
        return Duration.ofMillis(silentAfterMs);
    }

    /** The policy store this configuration names; a Redis store shares {@code connection}. */
    public PolicyStore openPolicyStore(RedisConnection connection) {
        return policyStore.equals("folder") ? new FolderPolicyStore(Path.of(policyFolder), keepVersions)
                : new RedisPolicyStore(connection, namespace, keepVersions);
    }

    /** The key the learner sets when its last iteration is checkpointed; workers stop when they see it. */
    public String finishedKey() {
        return namespace + ":run:finished";
    }

    /** Where the learner publishes its {@code RunFingerprint} (JSON) for workers to compare theirs with. */
    public String fingerprintKey() {
        return namespace + ":run:fingerprint";
    }

    private static RedisBufferConfig bufferConfig(String namespace, String consumer, long maxLen, long claimMinIdleMs,
                                                  long silentAfterMs) {
        return RedisBufferConfig.defaults(namespace).withConsumer(consumer).withMaxLength(maxLen)
                .withClaimMinIdle(Duration.ofMillis(claimMinIdleMs)).withSilentAfter(Duration.ofMillis(silentAfterMs));
    }
}
