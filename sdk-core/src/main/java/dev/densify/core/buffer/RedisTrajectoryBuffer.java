package dev.densify.core.buffer;

import dev.densify.api.buffer.Delivery;
import dev.densify.api.buffer.Receipt;
import dev.densify.api.buffer.TrajectoryBuffer;
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
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
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
 *       {@link BufferStatus#evictedByCap()} reports; {@link #status()} reports the cap the last append applied (or
 *       this buffer's own, before any append). Producers block (retrying) while Redis is unreachable.
 *   <li>{@link #take}: the consumer group (created at the stream's start with {@code XGROUP CREATE ... 0
 *       MKSTREAM}) hands each entry to one consumer. When the buffer starts, after
 *       {@link #reclaimUnacknowledged()}, after a lost connection and every {@code claimMinIdle}, it first takes
 *       over deliveries of dead consumers ({@code XAUTOCLAIM} idle longer than {@code claimMinIdle}) and
 *       re-reads its own unacknowledged ones ({@code XREADGROUP ... 0}), then reads new entries ({@code >}).
 *   <li>{@link #acknowledge}: {@code XACK} and {@code XDEL} (so the stream holds only work not yet done) and the
 *       trajectory ids into {@code <ns>:settled}, a sorted set by time trimmed to the dedup window, in one
 *       script; counters count only first acknowledgements, so retries do not inflate them.
 *   <li>Invalid entries (no {@code trajectory} field, undecodable, a foreign {@linkplain #useFingerprint run
 *       fingerprint}, or {@linkplain #reject rejected} by the learner's validation) are acknowledged, counted by
 *       reason and copied to {@code <ns>:dead-letter} with the reason, in one script: they never stay pending, so
 *       no restarted learner takes them over again.
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
    private static final byte[] FINGERPRINT_FIELD = "fingerprint".getBytes(StandardCharsets.UTF_8);
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{1,128}");
    private static final int DETAIL_CHARS = 300;
    private static final String APPLIED_CAP = "max_length";
    private static final StreamEntryID START = new StreamEntryID(0, 0);
    private static final int CLAIM_BATCH = 256;

    private static final byte[] APPEND = """
            local id
            if ARGV[3] == '' then
              id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'trajectory', ARGV[2])
            else
              id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'trajectory', ARGV[2], 'fingerprint', ARGV[3])
            end
            redis.call('HINCRBY', KEYS[2], 'appended', 1)
            -- the cap is applied by whoever appends (the workers' buffer.max_len): record it for buffer status
            redis.call('HSET', KEYS[2], 'max_length', ARGV[1])
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
    // KEYS: stream, counters, dead-letter stream. ARGV: group, dead-letter cap, then (delivery id, reason, detail,
    // trajectory id or '') quadruples. The copy into the dead-letter stream, the XACK and the count happen in one
    // script, so a crash can neither lose an invalid entry nor leave it pending for the next learner to choke on;
    // only the first acknowledgement copies and counts, so a retried script does neither twice.
    private static final String REJECT = """
            local rejected = 0
            for i = 3, #ARGV, 4 do
              local entry = redis.call('XRANGE', KEYS[1], ARGV[i], ARGV[i])
              local acked = redis.pcall('XACK', KEYS[1], ARGV[1], ARGV[i])
              if type(acked) == 'number' and acked > 0 then
                local args = {'XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], '*', 'reason', ARGV[i + 1],
                              'detail', ARGV[i + 2], 'source_id', ARGV[i], 'trajectory_id', ARGV[i + 3]}
                if #entry > 0 then
                  local fields = entry[1][2]
                  -- a hostile entry may have any number of fields: keep the first 32, enough to inspect it
                  for j = 1, math.min(#fields, 64), 2 do
                    table.insert(args, 'entry.' .. fields[j])
                    table.insert(args, fields[j + 1])
                  end
                end
                redis.call(unpack(args))
                redis.call('HINCRBY', KEYS[2], 'dropped:' .. ARGV[i + 1], 1)
                rejected = rejected + 1
              end
              redis.call('XDEL', KEYS[1], ARGV[i])
            end
            return rejected
            """;

    /** An entry settled as invalid; {@code trajectoryId} is empty when it could not be read. */
    private record Invalid(String deliveryId, String trajectoryId, String reason, String detail) {}

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
    private volatile String fingerprint = "";

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

    /**
     * From now on appends carry {@code digest} (a run fingerprint's digest, lower-case hex) and {@link #take} drops
     * every entry that does not carry exactly it as {@value DropReason#FOREIGN_FINGERPRINT}: a worker configured
     * differently from the learner never feeds it. Without a call, appends carry none and takes accept any.
     */
    public void useFingerprint(String digest) {
        Objects.requireNonNull(digest, "digest");
        if (!FINGERPRINT.matcher(digest).matches()) {
            throw new IllegalArgumentException("fingerprint digest '" + printable(digest)
                    + "' must be 1-128 lower-case hexadecimal digits");
        }
        fingerprint = digest;
    }

    @Override
    public void append(Trajectory trajectory) {
        Objects.requireNonNull(trajectory, "trajectory");
        ensureOpen();
        byte[] payload = TrajectoryCodec.encode(trajectory);
        connection.call("XADD " + config.streamKey(),
                c -> c.eval(APPEND, List.of(streamKey, countersKey), List.of(maxLength, payload, bytes(fingerprint))));
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

    /** Settles each rejected delivery, counts it by reason and copies its entry to the dead-letter stream. */
    public synchronized void reject(Collection<Rejection> rejections) {
        Objects.requireNonNull(rejections, "rejections");
        ensureOpen();
        deadLetter(rejections.stream().map(r -> new Invalid(r.delivery().deliveryId(), r.delivery().trajectory().id(),
                r.reason(), r.detail())).toList(), true);
    }

    @Override
    public synchronized void reclaimUnacknowledged() {
        ensureOpen();
        inFlight.clear();
        inFlightTrajectories.clear();
        phase = Phase.CLAIM;
        cursor = START;
    }

    /** A snapshot for {@code densify buffer status} and the learner's metrics. */
    public BufferStatus status() {
        ensureOpen();
        String stream = config.streamKey();
        record Snapshot(long length, long pending, Map<String, String> counters, List<ConsumerStatus> consumers,
                        long deadLetters) {}
        Snapshot s = connection.call("status of " + stream, c -> {
            long length = c.xlen(stream);
            long deadLetters = c.xlen(config.deadLetterKey());
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
            return new Snapshot(length, pending, counters, consumers, deadLetters);
        });
        Map<String, Long> dropped = new TreeMap<>();
        s.counters().forEach((field, value) -> {
            if (field.startsWith("dropped:")) {
                dropped.put(field.substring("dropped:".length()), Long.parseLong(value));
            }
        });
        long cap = parseOr(s.counters().get(APPLIED_CAP), config.maxLength());
        return new BufferStatus(connection.settings() + " " + stream, cap, s.length(), s.pending(),
                Long.parseLong(s.counters().getOrDefault("appended", "0")),
                Long.parseLong(s.counters().getOrDefault("acknowledged", "0")), dropped, s.consumers(),
                heartbeats.workers(config.silentAfter()), s.deadLetters());
    }

    /**
     * The stream cap ({@code buffer.max_len}) the last append applied, which producers record with each append;
     * empty before any append (or one by a densify that did not record it). {@link #status()} reports it as the
     * capacity when present, else this buffer's own.
     */
    public OptionalLong appliedMaxLength() {
        ensureOpen();
        String value = connection.call("HGET " + config.countersKey(),
                c -> Optional.ofNullable(c.hget(config.countersKey(), APPLIED_CAP))).orElse(null);
        long cap = parseOr(value, -1);
        return cap < 1 ? OptionalLong.empty() : OptionalLong.of(cap);
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
        List<Invalid> invalid = new ArrayList<>();
        List<Receipt> duplicates = new ArrayList<>();
        List<Delivery> candidates = new ArrayList<>();
        Set<String> batchIds = new HashSet<>();
        for (StreamEntryBinary entry : entries) {
            String deliveryId = entry.getID().toString();
            if (inFlight.containsKey(deliveryId)) {
                continue;
            }
            if (entry.getFields() == null) {
                // what XREADGROUP returns for a pending id whose entry the stream cap removed
                trimmed.add(new Receipt(deliveryId, ""));
                continue;
            }
            byte[] payload = field(entry, FIELD);
            if (payload == null) {
                invalid.add(new Invalid(deliveryId, "", DropReason.MALFORMED, "the entry has no 'trajectory' field"));
                continue;
            }
            String required = fingerprint;
            if (!required.isEmpty()) {
                byte[] carried = field(entry, FINGERPRINT_FIELD);
                if (carried == null || !required.equals(new String(carried, StandardCharsets.UTF_8))) {
                    invalid.add(new Invalid(deliveryId, "", DropReason.FOREIGN_FINGERPRINT, carried == null
                            ? "the entry carries no run fingerprint; the learner's is " + required
                            : "the entry carries run fingerprint " + new String(carried, StandardCharsets.UTF_8)
                                    + ", the learner's is " + required));
                    continue;
                }
            }
            Trajectory trajectory;
            try {
                trajectory = TrajectoryCodec.decode(payload);
            } catch (TrajectoryFormatException e) {
                invalid.add(new Invalid(deliveryId, "", DropReason.UNDECODABLE, e.getMessage()));
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
        deadLetter(invalid, false);
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

    /**
     * Logs each invalid entry once (the first learner to settle it logs it; a retry after a lost reply may log it
     * again), then acknowledges, counts and dead-letters it in one script.
     */
    private void deadLetter(List<Invalid> invalid, boolean held) {
        if (invalid.isEmpty()) {
            return;
        }
        for (Invalid i : invalid) {
            LOG.warn("Dropping entry {} of {}{} as {}: {}; kept in {}", i.deliveryId(), config.streamKey(),
                    i.trajectoryId().isEmpty() ? "" : " (trajectory " + printable(i.trajectoryId()) + ")", i.reason(),
                    printable(i.detail()), config.deadLetterKey());
        }
        String cap = Long.toString(config.maxLength());
        for (int from = 0; from < invalid.size(); from += SETTLE_BATCH) {
            List<Invalid> batch = invalid.subList(from, Math.min(invalid.size(), from + SETTLE_BATCH));
            List<String> args = new ArrayList<>(2 + 4 * batch.size());
            args.add(config.group());
            args.add(cap);
            for (Invalid i : batch) {
                args.add(i.deliveryId());
                args.add(i.reason());
                args.add(clip(i.detail()));
                args.add(i.trajectoryId());
            }
            connection.call("XACK " + config.streamKey(), c -> c.eval(REJECT,
                    List.of(config.streamKey(), config.countersKey(), config.deadLetterKey()), args));
            if (held) {
                for (Invalid i : batch) {
                    if (inFlight.remove(i.deliveryId()) != null) {
                        inFlightTrajectories.remove(i.trajectoryId(), i.deliveryId());
                    }
                }
            }
        }
    }

    private static byte[] field(StreamEntryBinary entry, byte[] name) {
        Map<byte[], byte[]> fields = entry.getFields();
        if (fields == null) {
            return null;
        }
        for (Map.Entry<byte[], byte[]> field : fields.entrySet()) {
            if (Arrays.equals(field.getKey(), name)) {
                return field.getValue();
            }
        }
        return null;
    }

    private static String clip(String text) {
        return text.length() <= DETAIL_CHARS ? text : text.substring(0, DETAIL_CHARS) + "...";
    }

    // Details and ids come from untrusted entries: no control characters (terminal escapes, forged log lines).
    static String printable(String text) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), DETAIL_CHARS + 3));
        String clipped = clip(text);
        for (int i = 0; i < clipped.length(); i++) {
            char ch = clipped.charAt(i);
            sb.append(Character.isISOControl(ch) ? '?' : ch);
        }
        return sb.toString();
    }

    private static long parseOr(String value, long otherwise) {
        try {
            return value == null ? otherwise : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return otherwise;
        }
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
