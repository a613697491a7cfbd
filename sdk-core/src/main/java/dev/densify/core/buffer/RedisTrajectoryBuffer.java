package dev.densify.core.buffer;

import dev.densify.api.API;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.redis.RedisConnection;
import dev.densify.core.redis.RedisSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamConsumerInfo;
import redis.clients.jedis.resps.StreamEntryBinary;

/**
 * A {@link TrajectoryBuffer} over a Redis stream, for rollout workers on other processes or machines.
 *
 * <ul>
 *   <li>{@link #append}: one {@code XADD <ns>:trajectories MAXLEN ~ maxLength * trajectory <json>} (the
 *       {@link TrajectoryCodec} encoding) plus a counter, in one script. The cap bounds Redis memory: when the
 *       learner falls behind by more than {@code maxLength} entries the oldest are trimmed, which
 *       {@link BufferStatus#evictedByCap()} reports. Producers block (retrying) while Redis is unreachable.
 *   <li>{@link #take}: the consumer group (created at the stream's start with {@code XGROUP CREATE ... 0
 *       MKSTREAM}) hands each entry to one consumer. When the buffer starts, after
 *       {@link #reclaimUnacknowledged()}, after a lost connection and every {@code claimMinIdle}, it first takes
 *       over deliveries of dead consumers ({@code XAUTOCLAIM} idle longer than {@code claimMinIdle}) and
 *       re-reads its own unacknowledged ones ({@code XREADGROUP ... 0}), then reads new entries ({@code >}).
 *   <li>{@link #acknowledge}: {@code XACK} and {@code XDEL} (so the stream holds only work not yet done) and the
 *       trajectory ids into {@code <ns>:settled}, a sorted set by time trimmed to the dedup window, in one
 *       script; counters count only first acknowledgements, so retries do not inflate them.
 *   <li>Deduplication: an entry whose trajectory id is in flight, or in {@code <ns>:settled}, is settled as
 *       {@value DropReason#DUPLICATE} instead of delivered. A producer whose reply was lost in an outage retries
 *       its {@code XADD}, so the same trajectory can be in the stream twice; it is trained once.
 * </ul>
 *
 * <p>Redis should run with AOF persistence ({@code appendonly yes}) in production: without it a Redis restart
 * loses the stream, its unacknowledged deliveries and the settled ids. The buffer survives such a restart (it
 * recreates its consumer group) but the trajectories Redis held are gone. Designed for one learner (one
 * consumer) per group; several consumers share the work but dedup only across what they have settled.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RedisTrajectoryBuffer implements TrajectoryBuffer {

    private static final Logger LOG = LoggerFactory.getLogger(RedisTrajectoryBuffer.class);
    private static final byte[] FIELD = "trajectory".getBytes(StandardCharsets.UTF_8);
    private static final StreamEntryID START = new StreamEntryID(0, 0);
    private static final int CLAIM_BATCH = 256;

    private static final byte[] APPEND = """
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'trajectory', ARGV[2])
            redis.call('HINCRBY', KEYS[2], 'appended', 1)
            return id
            """.getBytes(StandardCharsets.UTF_8);
    // ARGV: group, counter field, dedup window ms, dedup max ids, then (delivery id, trajectory id or '') pairs.
    private static final String SETTLE = """
            local t = redis.call('TIME')
            local now = t[1] * 1000 + math.floor(t[2] / 1000)
            local settled = 0
            for i = 5, #ARGV, 2 do
              -- pcall: after a Redis restart without persistence the group may be gone, and so is the entry
              local acked = redis.pcall('XACK', KEYS[1], ARGV[1], ARGV[i])
              if type(acked) == 'number' then
                settled = settled + acked
              end
              redis.call('XDEL', KEYS[1], ARGV[i])
              if ARGV[i + 1] ~= '' then
                redis.call('ZADD', KEYS[2], string.format('%.0f', now), ARGV[i + 1])
              end
            end
            if settled > 0 then
              redis.call('HINCRBY', KEYS[3], ARGV[2], settled)
            end
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. string.format('%.0f', now - tonumber(ARGV[3])))
            redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[4]) + 1))
            return settled
            """;
    private static final int SETTLE_BATCH = 500;

    private enum Phase { CLAIM, HISTORY, NEW }

    private final RedisConnection connection;
    private final boolean ownsConnection;
    private final RedisBufferConfig config;
    private final Heartbeats heartbeats;
    private final byte[] streamKey;
    private final byte[] countersKey;
    private final byte[] maxLength;
    private final byte[] group;
    private final byte[] consumer;

    // Consumer state, guarded by this.
    private final LinkedHashMap<String, String> inFlight = new LinkedHashMap<>();
    private final Map<String, String> inFlightTrajectories = new HashMap<>();
    private Phase phase = Phase.CLAIM;
    private StreamEntryID cursor = START;
    private Instant nextClaim = Instant.MIN;
    private int redelivered;
    private volatile boolean closed;

    /** A buffer over {@code connection}, which stays the caller's to close. */
    public RedisTrajectoryBuffer(RedisConnection connection, RedisBufferConfig config) {
        this(connection, false, config);
    }

    private RedisTrajectoryBuffer(RedisConnection connection, boolean ownsConnection, RedisBufferConfig config) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.ownsConnection = ownsConnection;
        this.config = Objects.requireNonNull(config, "config");
        this.heartbeats = Heartbeats.of(connection, config.namespace());
        this.streamKey = bytes(config.streamKey());
        this.countersKey = bytes(config.countersKey());
        this.maxLength = bytes(Long.toString(config.maxLength()));
        this.group = bytes(config.group());
        this.consumer = bytes(config.consumer());
    }

    /** A buffer with its own connection (named {@code densify-<consumer>} in {@code CLIENT LIST}), closed with it. */
    public static RedisTrajectoryBuffer open(RedisSettings settings, RedisBufferConfig config) {
        Objects.requireNonNull(config, "config");
        return new RedisTrajectoryBuffer(RedisConnection.open(settings, "densify-" + config.consumer()), true, config);
    }

    public RedisBufferConfig config() {
        return config;
    }

    @Override
    public void append(Trajectory trajectory) {
        Objects.requireNonNull(trajectory, "trajectory");
        ensureOpen();
        byte[] payload = TrajectoryCodec.encode(trajectory);
        connection.call("XADD " + config.streamKey(),
                c -> c.eval(APPEND, List.of(streamKey, countersKey), List.of(maxLength, payload)));
    }

    @Override
    public synchronized List<Delivery> take(int max, Duration wait) throws InterruptedException {
        InMemoryTrajectoryBuffer.requireValid(max, wait);
        ensureOpen();
        Instant deadline = Instant.now().plus(wait);
        List<Delivery> out = new ArrayList<>();
        while (out.size() < max) {
            if (phase == Phase.NEW && !Instant.now().isBefore(nextClaim)) {
                phase = Phase.CLAIM;
            }
            Phase current = phase;
            int room = max - out.size();
            long block = current == Phase.NEW && out.isEmpty() ? blockMillis(deadline) : 0;
            var batch = connection.callUntil(deadline, "XREADGROUP " + config.streamKey(), c -> step(c, room, block));
            if (batch.isEmpty()) {
                break; // Redis stayed unreachable until the deadline; the connection has said so in the log
            }
            int before = out.size();
            accept(batch.get(), out);
            if (current == Phase.HISTORY) {
                redelivered += out.size() - before;
            }
            if (current == Phase.NEW && (!out.isEmpty() || !Instant.now().isBefore(deadline))) {
                break;
            }
        }
        return out;
    }

    @Override
    public synchronized void acknowledgeReceipts(Collection<Receipt> receipts) {
        Objects.requireNonNull(receipts, "receipts");
        ensureOpen();
        settle(receipts, "acknowledged", true);
    }

    @Override
    public synchronized void discard(Collection<Delivery> deliveries, String reason) {
        Objects.requireNonNull(deliveries, "deliveries");
        DropReason.require(reason);
        ensureOpen();
        settle(deliveries.stream().map(Delivery::receipt).toList(), "dropped:" + reason, true);
    }

    @Override
    public synchronized void reclaimUnacknowledged() {
        ensureOpen();
        inFlight.clear();
        inFlightTrajectories.clear();
        phase = Phase.CLAIM;
        cursor = START;
    }

    @Override
    public BufferStatus status() {
        ensureOpen();
        String stream = config.streamKey();
        record Snapshot(long length, long pending, Map<String, String> counters, List<ConsumerStatus> consumers) {}
        Snapshot s = connection.call("status of " + stream, c -> {
            long length = c.xlen(stream);
            Map<String, String> counters = c.hgetAll(config.countersKey());
            long pending = 0;
            List<ConsumerStatus> consumers = new ArrayList<>();
            try {
                pending = c.xpending(stream, config.group()).getTotal();
                for (StreamConsumerInfo info : c.xinfoConsumers2(stream, config.group())) {
                    consumers.add(new ConsumerStatus(info.getName(), info.getPending(),
                            Duration.ofMillis(info.getIdle())));
                }
            } catch (JedisDataException e) {
                if (!isMissingGroup(e)) {
                    throw e;
                }
            }
            return new Snapshot(length, pending, counters, consumers);
        });
        Map<String, Long> dropped = new TreeMap<>();
        s.counters().forEach((field, value) -> {
            if (field.startsWith("dropped:")) {
                dropped.put(field.substring("dropped:".length()), Long.parseLong(value));
            }
        });
        return new BufferStatus(connection.settings() + " " + stream, config.maxLength(), s.length(), s.pending(),
                Long.parseLong(s.counters().getOrDefault("appended", "0")),
                Long.parseLong(s.counters().getOrDefault("acknowledged", "0")), dropped, s.consumers(),
                heartbeats.workers(config.silentAfter()));
    }

    @Override
    public void close() {
        closed = true;
        if (ownsConnection) {
            connection.close();
        }
    }

    // One round trip of the read state machine; advances the state only when Redis answered.
    private List<StreamEntryBinary> step(UnifiedJedis c, int room, long block) {
        try {
            return switch (phase) {
                case CLAIM -> claim(c);
                case HISTORY -> history(c, room);
                case NEW -> read(c, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY, room, block);
            };
        } catch (JedisDataException e) {
            if (!isMissingGroup(e)) {
                throw e;
            }
            // Redis lost the stream (a restart without persistence) or nobody created the group yet.
            createGroup(c);
            phase = Phase.NEW;
            return List.of();
        } catch (RuntimeException e) {
            // An XREADGROUP whose reply was lost still delivered its entries to us: read our own pending list again.
            phase = Phase.HISTORY;
            cursor = START;
            throw e;
        }
    }

    private List<StreamEntryBinary> claim(UnifiedJedis c) {
        var result = c.xautoclaimJustId(config.streamKey(), config.group(), config.consumer(),
                config.claimMinIdle().toMillis(), cursor, XAutoClaimParams.xAutoClaimParams().count(CLAIM_BATCH));
        if (!result.getValue().isEmpty()) {
            LOG.info("Took over {} unacknowledged deliveries idle for over {} s in {}", result.getValue().size(),
                    config.claimMinIdle().toSeconds(), config.streamKey());
        }
        cursor = result.getKey();
        if (cursor.equals(START)) {
            phase = Phase.HISTORY;
            nextClaim = Instant.now().plus(config.claimMinIdle());
            redelivered = 0;
        }
        return List.of();
    }

    private List<StreamEntryBinary> history(UnifiedJedis c, int room) {
        List<StreamEntryBinary> entries = read(c, cursor, room, 0);
        if (entries.isEmpty()) {
            phase = Phase.NEW;
            cursor = START;
            if (redelivered > 0) {
                LOG.info("Redelivering {} trajectories left unacknowledged in {}", redelivered, config.streamKey());
            }
        } else {
            cursor = entries.get(entries.size() - 1).getID();
        }
        return entries;
    }

    private List<StreamEntryBinary> read(UnifiedJedis c, StreamEntryID from, int count, long block) {
        XReadGroupParams params = XReadGroupParams.xReadGroupParams().count(count);
        if (block > 0) {
            params.block((int) block);
        }
        var reply = c.xreadGroupBinary(group, consumer, params, Map.of(streamKey, from));
        if (reply == null || reply.isEmpty()) {
            return List.of();
        }
        return reply.get(0).getValue();
    }

    private void createGroup(UnifiedJedis c) {
        try {
            c.xgroupCreate(config.streamKey(), config.group(), START, true);
        } catch (JedisDataException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    private void accept(List<StreamEntryBinary> entries, List<Delivery> out) {
        List<Receipt> trimmed = new ArrayList<>();
        List<Receipt> undecodable = new ArrayList<>();
        List<Receipt> duplicates = new ArrayList<>();
        List<Delivery> candidates = new ArrayList<>();
        Set<String> batchIds = new HashSet<>();
        for (StreamEntryBinary entry : entries) {
            String deliveryId = entry.getID().toString();
            if (inFlight.containsKey(deliveryId)) {
                continue;
            }
            byte[] payload = payload(entry);
            if (payload == null) {
                trimmed.add(new Receipt(deliveryId, ""));
                continue;
            }
            Trajectory trajectory;
            try {
                trajectory = TrajectoryCodec.decode(payload);
            } catch (TrajectoryFormatException e) {
                LOG.warn("Dropping entry {} of {}: {}", deliveryId, config.streamKey(), e.getMessage());
                undecodable.add(new Receipt(deliveryId, ""));
                continue;
            }
            if (inFlightTrajectories.containsKey(trajectory.id()) || !batchIds.add(trajectory.id())) {
                // Settle the copy without recording its id: the copy in flight is not trained yet.
                duplicates.add(new Receipt(deliveryId, ""));
                continue;
            }
            candidates.add(new Delivery(deliveryId, trajectory));
        }
        if (!candidates.isEmpty()) {
            String[] ids = candidates.stream().map(d -> d.trajectory().id()).toArray(String[]::new);
            List<Double> settledAt = connection.call("ZMSCORE " + config.settledKey(),
                    c -> c.zmscore(config.settledKey(), ids));
            for (int i = 0; i < candidates.size(); i++) {
                Delivery d = candidates.get(i);
                if (settledAt.get(i) != null) {
                    duplicates.add(new Receipt(d.deliveryId(), ""));
                } else {
                    inFlight.put(d.deliveryId(), d.trajectory().id());
                    inFlightTrajectories.put(d.trajectory().id(), d.deliveryId());
                    out.add(d);
                }
            }
        }
        settle(trimmed, "dropped:" + DropReason.TRIMMED, false);
        settle(undecodable, "dropped:" + DropReason.UNDECODABLE, false);
        settle(duplicates, "dropped:" + DropReason.DUPLICATE, false);
    }

    private void settle(Collection<Receipt> receipts, String counter, boolean held) {
        List<Receipt> all = List.copyOf(receipts);
        for (int from = 0; from < all.size(); from += SETTLE_BATCH) {
            List<Receipt> batch = all.subList(from, Math.min(all.size(), from + SETTLE_BATCH));
            List<String> args = new ArrayList<>(4 + 2 * batch.size());
            args.add(config.group());
            args.add(counter);
            args.add(Long.toString(config.dedupWindow().toMillis()));
            args.add(Long.toString(config.dedupMaxIds()));
            for (Receipt r : batch) {
                args.add(r.deliveryId());
                args.add(r.trajectoryId());
            }
            connection.call("XACK " + config.streamKey(), c -> c.eval(SETTLE,
                    List.of(config.streamKey(), config.settledKey(), config.countersKey()), args));
            if (held) {
                for (Receipt r : batch) {
                    if (inFlight.remove(r.deliveryId()) != null) {
                        inFlightTrajectories.remove(r.trajectoryId(), r.deliveryId());
                    }
                }
            }
        }
    }

    private static byte[] payload(StreamEntryBinary entry) {
        Map<byte[], byte[]> fields = entry.getFields();
        if (fields == null) {
            return null;
        }
        for (Map.Entry<byte[], byte[]> field : fields.entrySet()) {
            if (Arrays.equals(field.getKey(), FIELD)) {
                return field.getValue();
            }
        }
        return null;
    }

    private static long blockMillis(Instant deadline) {
        long left = Duration.between(Instant.now(), deadline).toMillis();
        return Math.max(0, Math.min(left, RedisConnection.MAX_BLOCK.toMillis()));
    }

    private static boolean isMissingGroup(JedisDataException e) {
        String message = e.getMessage();
        return message != null && (message.startsWith("NOGROUP") || message.contains("no such key"));
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("Trajectory buffer over " + config.streamKey() + " is closed");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
