package dev.densify.core.redis;

import dev.densify.api.API;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and how to reach Redis. Written as a URL:
 * {@code redis[s]://[user[:password]@]host[:port][/db][?option=value&...]}, where {@code rediss} means TLS
 * (verified against the JVM's default trust store), a password without a user is written {@code :password@}
 * (a lone {@code name@} is a user name, as in other Redis clients), percent-encoding is decoded, the port defaults to 6379 and the database to 0. Options (durations as
 * {@code 250ms}, {@code 2s}, {@code 1m} or plain milliseconds): {@code connect_timeout} (default 2s),
 * {@code socket_timeout} (5s), {@code retry_initial} (100ms), {@code retry_max} (5s), {@code log_interval}
 * (10s), {@code give_up_after} (unset: retry for ever) and {@code password_file} (a file whose content, without a
 * trailing newline, is the password). Without a password in the URL or a {@code password_file}, the password is
 * read from the environment variable {@value #PASSWORD_VARIABLE} when it is set. A configuration (which run folders
 * keep as {@code config.yaml}) must not hold a password: see {@link #requireNoPassword}. {@link #toString()}
 * hides the password.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record RedisSettings(
        String host,
        int port,
        Optional<String> user,
        Optional<String> password,
        int database,
        boolean tls,
        Duration connectTimeout,
        Duration socketTimeout,
        RetryPolicy retry) {

    public static final int DEFAULT_PORT = 6379;
    /** The environment variable a password is read from when the URL names none. */
    public static final String PASSWORD_VARIABLE = "DENSIFY_REDIS_PASSWORD";
    private static final String PASSWORD_FILE = "password_file";
    private static final Set<String> OPTIONS = Set.of("connect_timeout", "socket_timeout", "retry_initial",
            "retry_max", "log_interval", "give_up_after", PASSWORD_FILE);
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);

    public RedisSettings {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("Redis host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Redis port must be within 1..65535, got " + port);
        }
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (database < 0) {
            throw new IllegalArgumentException("Redis database must be >= 0, got " + database);
        }
        requirePositive(connectTimeout, "connect_timeout");
        requirePositive(socketTimeout, "socket_timeout");
        Objects.requireNonNull(retry, "retry");
    }

    /** Parses a {@code redis://} or {@code rediss://} URL; see the type's documentation for the syntax. */
    public static RedisSettings parse(String url) {
        return parse(url, System.getenv());
    }

    /** As {@link #parse(String)}, with {@code environment} in place of the process environment. */
    public static RedisSettings parse(String url, Map<String, String> environment) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(environment, "environment");
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw invalid(url, "it is not a valid URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw invalid(url, "the scheme must be redis:// or rediss:// (TLS)");
        }
        // java.net.URI leaves the host null for names it deems invalid (redis_1, common in Docker): split by hand.
        String rawAuthority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        String hostPort = rawAuthority.substring(rawAuthority.lastIndexOf('@') + 1);
        String host;
        int port;
        if (uri.getHost() != null) {
            host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                    : uri.getHost();
            port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            port = colon < 0 ? DEFAULT_PORT : parsePort(url, hostPort.substring(colon + 1));
        }
        if (host.isBlank()) {
            throw invalid(url, "it names no host");
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (rawAuthority.contains("@")) {
            String info = rawAuthority.substring(0, rawAuthority.lastIndexOf('@'));
            int colon = info.indexOf(':');
            String rawUser = colon < 0 ? info : info.substring(0, colon);
            user = rawUser.isEmpty() ? Optional.empty() : Optional.of(decode(rawUser));
            password = colon < 0 ? Optional.empty() : Optional.of(decode(info.substring(colon + 1)));
        }
        int database = parseDatabase(url, uri.getPath());
        Map<String, String> options = parseQuery(url, uri.getRawQuery());
        if (password.isEmpty() && options.containsKey(PASSWORD_FILE)) {
            password = Optional.of(readPasswordFile(url, options.get(PASSWORD_FILE)));
        } else if (password.isEmpty() && environment.get(PASSWORD_VARIABLE) != null
                && !environment.get(PASSWORD_VARIABLE).isEmpty()) {
            password = Optional.of(environment.get(PASSWORD_VARIABLE));
        }
        RetryPolicy defaults = RetryPolicy.defaults();
        RetryPolicy retry = new RetryPolicy(
                duration(url, options, "retry_initial", defaults.initialBackoff()),
                duration(url, options, "retry_max", defaults.maxBackoff()),
                duration(url, options, "log_interval", defaults.logInterval()),
                options.containsKey("give_up_after")
                        ? Optional.of(duration(url, options, "give_up_after", Duration.ZERO))
                        : Optional.empty());
        try {
            return new RedisSettings(host, port, user, password, database, "rediss".equals(scheme),
                    duration(url, options, "connect_timeout", CONNECT_TIMEOUT),
                    duration(url, options, "socket_timeout", SOCKET_TIMEOUT), retry);
        } catch (IllegalArgumentException e) {
            throw invalid(url, e.getMessage());
        }
    }

    /**
     * Fails when {@code url} carries a password: a configuration is written to run folders and debug logs, so the
     * password must come from {@value #PASSWORD_VARIABLE} or a {@code password_file} instead.
     */
    public static void requireNoPassword(String url) {
        Objects.requireNonNull(url, "url");
        String authority;
        try {
            authority = new URI(url.strip()).getRawAuthority();
        } catch (URISyntaxException e) {
            return; // parse reports a malformed URL
        }
        if (authority != null && authority.contains("@")
                && authority.substring(0, authority.lastIndexOf('@')).contains(":")) {
            throw new IllegalArgumentException("'" + redact(url) + "' carries a password, which would be"
                    + " written to the run folder's config.yaml; set the environment variable " + PASSWORD_VARIABLE
                    + " or name a file with ?" + PASSWORD_FILE + "=PATH instead");
        }
    }

    /** {@code host:port}, the way log lines name the server. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The URL without the password. */
    @Override
    public String toString() {
        String credentials = user.isPresent() || password.isPresent()
                ? user.orElse("") + (password.isPresent() ? ":***" : "") + "@" : "";
        return (tls ? "rediss://" : "redis://") + credentials + address() + "/" + database;
    }

    private static int parsePort(String url, String port) {
        try {
            return Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw invalid(url, "the port must be a number, got '" + port + "'");
        }
    }

    private static int parseDatabase(String url, String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return 0;
        }
        try {
            return Integer.parseInt(path.substring(1));
        } catch (NumberFormatException e) {
            throw invalid(url, "the path must be a database number such as /0, got " + path);
        }
    }

    private static Map<String, String> parseQuery(String url, String rawQuery) {
        Map<String, String> options = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return options;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (!OPTIONS.contains(key)) {
                throw invalid(url, "unknown option '" + key + "'; allowed: " + String.join(", ", OPTIONS.stream()
                        .sorted().toList()));
            }
            if (eq < 0) {
                throw invalid(url, "option '" + key + "' needs a value, e.g. " + key + "=2s");
            }
            options.put(key, decode(pair.substring(eq + 1)));
        }
        return options;
    }

    private static Duration duration(String url, Map<String, String> options, String key, Duration fallback) {
        String value = options.get(key);
        if (value == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(value.strip());
        if (!m.matches()) {
            throw invalid(url, "option '" + key + "' must be a duration such as 250ms, 2s, 1m or 1h, got '"
                    + value + "'");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    private static String readPasswordFile(String url, String file) {
        try {
            String text = java.nio.file.Files.readString(java.nio.file.Path.of(file), StandardCharsets.UTF_8);
            // editors and `echo` end files with a newline that is not part of the password
            return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
            throw invalid(url, "option 'password_file' names '" + file + "', which cannot be read (" + e + ")");
        }
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException invalid(String url, String why) {
        return new IllegalArgumentException("Invalid Redis URL '" + redact(url) + "': " + why
                + " (expected redis[s]://[user[:password]@]host[:port][/db][?option=value])");
    }

    // Never echo a password into an error message or a log.
    private static String redact(String url) {
        return url.replaceAll("(//[^/@:]*:)[^/@]*@", "$1***@");
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
