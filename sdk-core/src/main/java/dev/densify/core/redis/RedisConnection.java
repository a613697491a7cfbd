package dev.densify.core.redis;

import dev.densify.api.API;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A pooled, thread-safe Jedis client that survives outages: {@link #call} retries a command whose connection
 * failed (or that hit a transient server state such as {@code LOADING} after a restart) with the settings'
 * exponential backoff, logs "Redis unreachable at host:port, retrying" at most once per log interval for the
 * whole connection (not once per attempt or per thread), and logs once when Redis is reachable again.
 *
 * <p>A retried command may have been executed by the server before its reply was lost, so commands passed here
 * should be idempotent or their callers must tolerate a repeat (the trajectory stream deduplicates by
 * trajectory id for exactly this reason).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RedisConnection implements AutoCloseable {

    /** Longest a blocking command may wait in one call; longer waits are split so the socket timeout holds. */
    public static final Duration MAX_BLOCK = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(RedisConnection.class);
    // Server replies that mean "not now" rather than "never": a restarting server loading its AOF, a busy script.
    private static final Pattern TRANSIENT = Pattern.compile("(LOADING|BUSY|MASTERDOWN|TRYAGAIN)\\b");

    private final RedisSettings settings;
    private final RedisClient client;
    private Instant outageSince;
    private Instant lastReport;
    private volatile boolean unreachable;
    private volatile boolean closed;

    private RedisConnection(RedisSettings settings, String clientName) {
        this.settings = settings;
        var config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis(settings.connectTimeout()))
                .socketTimeoutMillis(millis(settings.socketTimeout()))
                .blockingSocketTimeoutMillis(millis(settings.socketTimeout().plus(MAX_BLOCK)))
                .database(settings.database())
                .clientName(clientName);
        if (settings.tls()) {
            // Full verification (chain and host name) against the JVM's default trust store.
            config.sslOptions(SslOptions.builder().sslVerifyMode(SslVerifyMode.FULL).build());
        }
        settings.user().ifPresent(config::user);
        settings.password().ifPresent(config::password);
        var pool = new ConnectionPoolConfig();
        pool.setMaxTotal(16);
        pool.setMaxIdle(16);
        this.client = RedisClient.builder()
                .hostAndPort(settings.host(), settings.port())
                .clientConfig(config.build())
                .poolConfig(pool)
                .build();
    }

    /**
     * A connection named {@code clientName} in {@code CLIENT LIST}. Nothing is sent until the first call, so
     * opening succeeds while Redis is down; the first call then waits for it like any other.
     */
    public static RedisConnection open(RedisSettings settings, String clientName) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clientName, "clientName");
        if (!clientName.matches("[A-Za-z0-9._:-]+")) {
            throw new IllegalArgumentException("Redis client name must be letters, digits and ._:- only, got '"
                    + clientName + "'");
        }
        return new RedisConnection(settings, clientName);
    }

    public RedisSettings settings() {
        return settings;
    }

    /**
     * Runs {@code command} until it succeeds, retrying through outages as the retry policy says.
     *
     * @param operation names the command in log lines and errors
     * @param command must not return null
     * @throws RedisUnavailableException when the policy gives up, the thread is interrupted (its interrupt
     *     flag stays set) or the connection is closed
     */
    public <T> T call(String operation, Function<UnifiedJedis, T> command) {
        try {
            return attempt(operation, command, Optional.empty()).orElseThrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisUnavailableException("Interrupted while waiting for Redis at " + settings.address()
                    + " (" + operation + ")", e);
        }
    }

    /**
     * Like {@link #call} but stops retrying at {@code deadline}: empty when Redis stayed unreachable until then.
     */
    public <T> Optional<T> callUntil(Instant deadline, String operation, Function<UnifiedJedis, T> command)
            throws InterruptedException {
        return attempt(operation, command, Optional.of(Objects.requireNonNull(deadline, "deadline")));
    }

    /** True while the last attempt of any caller failed to reach Redis. */
    public boolean isUnreachable() {
        return unreachable;
    }

    @Override
    public void close() {
        closed = true;
        client.close();
    }

    private <T> Optional<T> attempt(String operation, Function<UnifiedJedis, T> command, Optional<Instant> deadline)
            throws InterruptedException {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(command, "command");
        for (int failures = 1; ; failures++) {
            ensureOpen(operation, null);
            try {
                T result = command.apply(client);
                recovered();
                return Optional.of(Objects.requireNonNull(result, () -> operation + " returned null"));
            } catch (RuntimeException e) {
                if (!isTransient(e)) {
                    throw rejected(operation, e);
                }
                ensureOpen(operation, e);
                Duration down = failed(e);
                Optional<Duration> giveUp = settings.retry().giveUpAfter();
                if (giveUp.isPresent() && down.compareTo(giveUp.get()) >= 0) {
                    throw new RedisUnavailableException("Redis unreachable at " + settings.address() + " for "
                            + seconds(down) + " (give_up_after=" + seconds(giveUp.get()) + ") during " + operation
                            + ": " + describe(e), e);
                }
                Duration pause = jittered(settings.retry().backoff(failures));
                if (deadline.isPresent()) {
                    Duration left = Duration.between(Instant.now(), deadline.get());
                    if (left.isNegative() || left.isZero()) {
                        return Optional.empty();
                    }
                    pause = pause.compareTo(left) < 0 ? pause : left;
                }
                Thread.sleep(Math.max(1, pause.toMillis()));
            }
        }
    }

    private RuntimeException rejected(String operation, RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof JedisAccessControlException || message.startsWith("NOAUTH")) {
                return new RedisRejectedException("Redis at " + settings + " refused the credentials during "
                        + operation + " (" + t.getMessage() + "): check the user in the Redis URL and the password"
                        + " (from " + RedisSettings.PASSWORD_VARIABLE + ", ?password_file= or the URL)", e);
            }
            if (message.contains("DB index is out of range")) {
                return new RedisRejectedException("Redis at " + settings.address() + " has no database "
                        + settings.database() + " (" + t.getMessage() + "): use a database index the server offers"
                        + " (0 to its 'databases' setting - 1, 0..15 by default) in the URL's path", e);
            }
            if (message.startsWith("WRONGTYPE")) {
                return new RedisRejectedException("Redis at " + settings + ": a key used by " + operation
                        + " holds a value of another type (" + t.getMessage() + "); something else uses this"
                        + " namespace: give the run its own buffer.namespace", e);
            }
        }
        return e;
    }

    private static boolean isTransient(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // wrapped in a connection failure when it happens while a pooled connection is set up
            if (String.valueOf(t.getMessage()).contains("DB index is out of range")
                    || String.valueOf(t.getMessage()).startsWith("NOAUTH")) {
                return false;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JedisAccessControlException) {
                return false;
            }
            if (t instanceof JedisConnectionException) {
                return true;
            }
            if (t instanceof JedisDataException && t.getMessage() != null
                    && TRANSIENT.matcher(t.getMessage()).lookingAt()) {
                return true;
            }
        }
        return false;
    }

    private synchronized Duration failed(RuntimeException e) {
        Instant now = Instant.now();
        if (outageSince == null) {
            outageSince = now;
            lastReport = null;
        }
        unreachable = true;
        if (lastReport == null || Duration.between(lastReport, now).compareTo(settings.retry().logInterval()) >= 0) {
            LOG.warn("Redis unreachable at {}, retrying (down for {}: {})", settings.address(),
                    seconds(Duration.between(outageSince, now)), describe(e));
            lastReport = now;
        }
        // Pooled idle connections died with the server; drop them so the next attempt dials afresh.
        client.getPool().clear();
        return Duration.between(outageSince, now);
    }

    private void recovered() {
        if (unreachable) {
            synchronized (this) {
                if (outageSince != null) {
                    LOG.info("Redis reachable again at {} after {}", settings.address(),
                            seconds(Duration.between(outageSince, Instant.now())));
                    outageSince = null;
                }
                unreachable = false;
            }
        }
    }

    private void ensureOpen(String operation, RuntimeException cause) {
        if (closed) {
            throw new RedisUnavailableException("Connection to Redis at " + settings.address()
                    + " is closed (" + operation + ")", cause);
        }
    }

    private static Duration jittered(Duration pause) {
        // Up to +20% so that many workers hitting the same restarted server do not retry in lockstep.
        long millis = pause.toMillis();
        return Duration.ofMillis(millis + ThreadLocalRandom.current().nextLong(millis / 5 + 1));
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == e ? message : e.getMessage() + " (" + message + ")";
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }
}
