package dev.densify.core.buffer;

import dev.densify.api.API;
import dev.densify.core.redis.RedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Rollout workers' heartbeats in Redis, next to the trajectory stream they feed. A worker calls
 * {@link #publish} after every episode (and from a timer if episodes are long); each heartbeat is a hash
 * {@code <ns>:worker:<id>} (time, episodes, policy) that expires after {@code ttl}, indexed by
 * {@code <ns>:workers}. Times are the Redis server's clock, so workers on machines with skewed clocks are still
 * judged fairly. {@link #workers} lists every worker heard from within {@code ttl} and marks those silent longer
 * than a threshold, for {@code densify buffer status} and the learner's metrics.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Heartbeats {

    private static final String PUBLISH = """
            local t = redis.call('TIME')
            local now = string.format('%.0f', t[1] * 1000 + math.floor(t[2] / 1000))
            redis.call('HSET', KEYS[1], 'time', now, 'episodes', ARGV[1], 'policy', ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            redis.call('ZADD', KEYS[2], now, ARGV[4])
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', string.format('%.0f', tonumber(now) - tonumber(ARGV[3])))
            return now
            """;
    private static final String SERVER_TIME = """
            local t = redis.call('TIME')
            return string.format('%.0f', t[1] * 1000 + math.floor(t[2] / 1000))
            """;

    private final RedisConnection connection;
    private final String namespace;
    private final Duration ttl;

    public Heartbeats(RedisConnection connection, String namespace, Duration ttl) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.toMillis() < 1) {
            throw new IllegalArgumentException("heartbeat ttl must be at least 1 ms, got " + ttl);
        }
        this.ttl = ttl;
    }

    /** Heartbeats kept for an hour. */
    public static Heartbeats of(RedisConnection connection, String namespace) {
        return new Heartbeats(connection, namespace, Duration.ofHours(1));
    }

    /** Records that {@code workerId} is alive, has finished {@code episodes} episodes and runs {@code policyVersion}. */
    public void publish(String workerId, long episodes, long policyVersion) {
        Objects.requireNonNull(workerId, "workerId");
        if (workerId.isBlank()) {
            throw new IllegalArgumentException("worker id must not be blank");
        }
        connection.call("heartbeat of " + workerId, c -> c.eval(PUBLISH,
                List.of(workerKey(workerId), indexKey()),
                List.of(Long.toString(episodes), Long.toString(policyVersion), Long.toString(ttl.toMillis()),
                        workerId)));
    }

    /** Workers heard from within the ttl, oldest heartbeat first; silent ones have not beaten for {@code silentAfter}. */
    public List<WorkerStatus> workers(Duration silentAfter) {
        Objects.requireNonNull(silentAfter, "silentAfter");
        return connection.call("list workers", c -> {
            long now = Long.parseLong((String) c.eval(SERVER_TIME));
            List<WorkerStatus> workers = new ArrayList<>();
            for (String id : c.zrange(indexKey(), 0, -1)) {
                List<String> fields = c.hmget(workerKey(id), "time", "episodes", "policy");
                if (fields.get(0) == null) {
                    continue; // expired between the two reads
                }
                long time = Long.parseLong(fields.get(0));
                workers.add(new WorkerStatus(id, Instant.ofEpochMilli(time), Long.parseLong(fields.get(1)),
                        Long.parseLong(fields.get(2)), now - time > silentAfter.toMillis()));
            }
            return workers;
        });
    }

    private String workerKey(String workerId) {
        return namespace + ":worker:" + workerId;
    }

    private String indexKey() {
        return namespace + ":workers";
    }
}
