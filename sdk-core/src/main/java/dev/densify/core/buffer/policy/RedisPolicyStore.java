package dev.densify.core.buffer.policy;

import dev.densify.api.API;
import dev.densify.core.redis.RedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link PolicyStore} in Redis, for models small enough to travel as one value (Redis caps a value at
 * 512 MB; use {@link FolderPolicyStore} well before that). Keys: {@code <ns>:policy:<version>:<sha256>} the
 * bytes, {@code <ns>:policy:latest} a hash ({@code version}, {@code sha256}, {@code size}, {@code published_at}
 * in epoch ms of the Redis clock), {@code <ns>:policy:index} the kept versions in publish order. A publish writes
 * all three in one script, so readers never see a latest version whose bytes are missing; the newest
 * {@code keepVersions} are kept.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RedisPolicyStore implements PolicyStore {

    // KEYS: bytes key, latest, index, sequence. ARGV: weights, version, sha256, size, keep.
    private static final byte[] PUBLISH = """
            local t = redis.call('TIME')
            local now = string.format('%.0f', t[1] * 1000 + math.floor(t[2] / 1000))
            redis.call('SET', KEYS[1], ARGV[1])
            redis.call('HSET', KEYS[2], 'version', ARGV[2], 'sha256', ARGV[3], 'size', ARGV[4], 'published_at', now)
            redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[4]), KEYS[1])
            for _, old in ipairs(redis.call('ZRANGE', KEYS[3], 0, -(tonumber(ARGV[5]) + 1))) do
              if old ~= KEYS[1] then
                redis.call('DEL', old)
              end
              redis.call('ZREM', KEYS[3], old)
            end
            return now
            """.getBytes(StandardCharsets.UTF_8);

    private final RedisConnection connection;
    private final String namespace;
    private final int keepVersions;

    /** A store over {@code connection}, which stays the caller's to close. */
    public RedisPolicyStore(RedisConnection connection, String namespace, int keepVersions) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        if (keepVersions < 1) {
            throw new IllegalArgumentException("keepVersions must be at least 1, got " + keepVersions);
        }
        this.keepVersions = keepVersions;
    }

    @Override
    public PolicyVersion publish(long version, byte[] weights) {
        Objects.requireNonNull(weights, "weights");
        if (version < 0) {
            throw new IllegalArgumentException("policy version must be >= 0, got " + version);
        }
        String sha = Checksums.sha256(weights);
        Object publishedAt = connection.call("publish policy " + version, c -> c.eval(PUBLISH,
                List.of(bytes(bytesKey(version, sha)), bytes(latestKey()), bytes(namespace + ":policy:index"),
                        bytes(namespace + ":policy:seq")),
                List.of(weights, bytes(Long.toString(version)), bytes(sha), bytes(Long.toString(weights.length)),
                        bytes(Integer.toString(keepVersions)))));
        long millis = Long.parseLong(new String((byte[]) publishedAt, StandardCharsets.UTF_8));
        return new PolicyVersion(version, sha, weights.length, Instant.ofEpochMilli(millis));
    }

    @Override
    public Optional<PolicyVersion> latest() {
        Map<String, String> fields = connection.call("read latest policy", c -> c.hgetAll(latestKey()));
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PolicyVersion(Long.parseLong(fields.get("version")), fields.get("sha256"),
                Long.parseLong(fields.get("size")), Instant.ofEpochMilli(Long.parseLong(fields.get("published_at")))));
    }

    @Override
    public byte[] fetch(PolicyVersion version) {
        Objects.requireNonNull(version, "version");
        String key = bytesKey(version.version(), version.sha256());
        Optional<byte[]> bytes = connection.call("fetch policy " + version.version(),
                c -> Optional.ofNullable(c.get(bytes(key))));
        if (bytes.isEmpty()) {
            throw new IllegalStateException("Policy version " + version.version() + " is no longer in Redis at "
                    + connection.settings().address() + " (it keeps the newest " + keepVersions
                    + "): fetch latest() again");
        }
        return Checksums.verified(version, bytes.get(), "Redis key " + key);
    }

    @Override
    public String toString() {
        return "policy store " + connection.settings() + " " + namespace + ":policy";
    }

    private String bytesKey(long version, String sha) {
        return namespace + ":policy:" + version + ":" + sha;
    }

    private String latestKey() {
        return namespace + ":policy:latest";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
