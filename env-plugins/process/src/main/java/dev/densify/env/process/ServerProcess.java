package dev.densify.env.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One running environment server and the request/response half of the protocol: a request is one JSON line on the
 * server's standard input, its answer one JSON line on its standard output with the same id. Standard output is read
 * by a thread of its own into a queue, so that waiting for an answer has a deadline and can be interrupted; standard
 * error by another, which keeps the last lines for messages. Any fault (no answer in time, an exit, a line that is
 * not the protocol) stops the server for good: its state is unknown from then on.
 */
final class ServerProcess implements AutoCloseable {
    static final int PROTOCOL = 1;
    /** Standard error lines kept for messages. */
    private static final int STDERR_LINES = 20;
    /** Characters of a received line quoted in a message. */
    private static final int QUOTED = 300;
    /** A longer line is not an answer but a runaway server. */
    private static final int MAX_LINE = 16 << 20;
    /** How long a server may take to exit after close, or to report its exit code after closing its output. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        // A JVM that exits without closing its environments must not leave servers behind.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ServerProcess::kill),
                "densify-process-env-cleanup"));
    }

    /** A line of standard output, its end (both null), or why reading stopped. */
    private record Incoming(String line, String problem) {
        static final Incoming END = new Incoming(null, null);
    }

    private final String name;
    private final Process process;
    private final Writer input;
    private final BlockingQueue<Incoming> output = new LinkedBlockingQueue<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final Thread stderrReader;
    private List<String> capabilities = List.of();
    private long nextId = 1;
    private String fault;
    private boolean tainted;
    private boolean closed;

    private ServerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread stdoutReader = new Thread(() -> readLines(process.getInputStream()), "densify-process-env-stdout");
        stdoutReader.setDaemon(true);
        stdoutReader.start();
        stderrReader = new Thread(() -> readStderr(process.getErrorStream()), "densify-process-env-stderr");
        stderrReader.setDaemon(true);
        stderrReader.start();
    }

    /** Starts the server and shakes hands; throws ProcessServerException when either fails. */
    static ServerProcess start(ProcessConfig config) {
        String name = "`" + abbreviate(String.join(" ", config.command()), 200) + "`";
        Process process;
        try {
            process = new ProcessBuilder(config.command()).directory(new java.io.File(config.workingDir())).start();
        } catch (IOException e) {
            throw new ProcessServerException("cannot start the environment server " + name + " in "
                    + config.workingDir() + ": " + e.getMessage(), e);
        }
        LIVE.add(process);
        ServerProcess server = new ServerProcess("environment server " + name + " (pid " + process.pid() + ")",
                process);
        try {
            server.capabilities = server.call("hello", Map.of("protocol", PROTOCOL), config.startTimeout(),
                    "start_timeout_s", Protocol::hello);
            return server;
        } catch (RuntimeException e) {
            server.close();
            // an error answer to hello (another protocol version) fails the start like any other fault
            throw e instanceof ProcessServerException ? e : new ProcessServerException(e.getMessage(), e);
        }
    }

    /**
     * Whether another environment may reset this server and go on: it is running, was not closed, and neither faulted
     * nor answered anything densify had to refuse (a failed call, a reward that is not a number).
     */
    boolean reusable() {
        return !closed && fault == null && !tainted && process.isAlive();
    }

    /** Keeps this server from being reused: it answered, but with something an episode was dropped for. */
    void taint() {
        tainted = true;
    }

    /** What the server announced in the handshake beyond the required operations, e.g. "demonstrate". */
    List<String> capabilities() {
        return capabilities;
    }

    String name() {
        return name;
    }

    /** The server's process, for checks that it was stopped. */
    ProcessHandle handle() {
        return process.toHandle();
    }

    /**
     * Sends one request and decodes its result. An error answer becomes the exception of its kind:
     * IllegalStateException, IllegalArgumentException, UnsupportedOperationException, or ProcessServerException for a
     * failure of the server's own (the server goes on serving). A decoder's IllegalArgumentException is a protocol
     * fault: the answer did not have the fields it must have.
     *
     * @param timeoutKey the configuration key of the deadline, named in the message when it passes
     */
    <T> T call(String op, Map<String, ?> params, Duration deadline, String timeoutKey,
               Function<Map<String, Object>, T> decode) {
        if (closed || fault != null) {
            throw new ProcessServerException(name + ": " + op + " called on a server that was "
                    + (fault != null ? "stopped after an earlier fault: " + fault : "closed"));
        }
        long id = nextId++;
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("id", id);
        request.put("op", op);
        request.putAll(params);
        try {
            input.write(Json.write(request));
            input.write('\n');
            input.flush();
        } catch (IOException e) {
            throw fail(exited(op));
        }
        Map<String, Object> answer = await(op, id, deadline, timeoutKey);
        if (answer.containsKey("error")) {
            throw error(op, answer.get("error"));
        }
        try {
            return decode.apply(Protocol.object(answer.get("result"), "result"));
        } catch (IllegalArgumentException e) {
            throw fail("answered " + op + " with a result that does not follow the protocol (" + e.getMessage()
                    + "): " + quote(Json.write(answer)));
        }
    }

    private Map<String, Object> await(String op, long id, Duration deadline, String timeoutKey) {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            Incoming incoming;
            try {
                incoming = output.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw fail("was stopped: the call " + op + " was interrupted while waiting for its answer");
            }
            if (incoming == null) {
                throw fail("did not answer " + op + " within " + seconds(deadline) + " s (env." + timeoutKey
                        + "); it was stopped");
            }
            if (incoming.problem() != null) {
                throw fail("answered " + op + " unreadably: " + incoming.problem());
            }
            if (incoming.line() == null) {
                throw fail(exited(op));
            }
            if (incoming.line().isBlank()) {
                continue;
            }
            Object parsed;
            try {
                parsed = Json.parse(incoming.line());
            } catch (IllegalArgumentException e) {
                throw fail("answered " + op + " with a line that is not JSON (" + e.getMessage() + "): "
                        + quote(incoming.line()));
            }
            String expected = "{\"id\": " + id + ", \"result\": ...} or {\"id\": " + id + ", \"error\": ...}";
            if (!(parsed instanceof Map<?, ?> map) || !Long.valueOf(id).equals(map.get("id"))
                    || map.containsKey("result") == map.containsKey("error")) {
                throw fail("answered " + op + " with a message that does not follow the protocol (expected "
                        + expected + "): " + quote(incoming.line()));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> answer = (Map<String, Object>) map;
            return answer;
        }
    }

    private RuntimeException error(String op, Object error) {
        String kind;
        String message;
        if (error instanceof Map<?, ?> map && map.get("kind") instanceof String k && map.get("message") instanceof String m) {
            kind = k;
            message = m;
        } else {
            return fail("answered " + op + " with an error that is not {\"kind\": ..., \"message\": ...}: "
                    + quote(Json.write(error)));
        }
        String text = name + " refused " + op + ": " + message;
        return switch (kind) {
            case "illegal_state" -> new IllegalStateException(text);
            case "illegal_argument" -> new IllegalArgumentException(text);
            case "unsupported" -> new UnsupportedOperationException(text);
            default -> failed(name + " failed in " + op + " (" + kind + "): " + message
                    + stderr());
        };
    }

    /** The environment's own failure: the server goes on serving this episode, but is not reused for another. */
    private ProcessServerException failed(String message) {
        tainted = true;
        return new ProcessServerException(message);
    }

    /** What happened to a server whose output ended: its exit code, or that it closed its output and was stopped. */
    private String exited(String op) {
        try {
            if (process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                return "exited with code " + process.exitValue() + " during " + op;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "closed its standard output during " + op + "; it was stopped";
    }

    /** Stops the server after a fault and gives the exception to throw, with the server's last standard error lines. */
    private ProcessServerException fail(String what) {
        kill(process);
        try {
            // the last lines a crashed server wrote may still be on their way
            stderrReader.join(GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        fault = what;
        return new ProcessServerException(name + " " + what + stderr());
    }

    private String stderr() {
        synchronized (stderrTail) {
            return stderrTail.isEmpty() ? "; it wrote nothing to standard error"
                    : "; the last lines it wrote to standard error:\n  " + String.join("\n  ", stderrTail);
        }
    }

    private void readLines(InputStream stream) {
        try (Reader reader = new java.io.BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            StringBuilder line = new StringBuilder();
            for (int c = reader.read(); c >= 0; c = reader.read()) {
                if (c == '\n') {
                    output.add(new Incoming(line.toString(), null));
                    line.setLength(0);
                } else if (line.length() >= MAX_LINE) {
                    output.add(new Incoming(null, "a line longer than " + MAX_LINE + " characters, beginning "
                            + quote(line.toString())));
                    return;
                } else {
                    line.append((char) c);
                }
            }
            if (!line.isEmpty()) {
                output.add(new Incoming(line.toString(), null));
            }
        } catch (IOException e) {
            // the stream closes when the server is stopped; what follows is the end
        }
        output.add(Incoming.END);
    }

    private void readStderr(InputStream stream) {
        try (var reader = new java.io.BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                synchronized (stderrTail) {
                    stderrTail.addLast(abbreviate(line, QUOTED));
                    if (stderrTail.size() > STDERR_LINES) {
                        stderrTail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // closed with the server
        }
    }

    /**
     * Asks the server to close and lets it exit on its own, stopping it if it has not within a grace period (or at
     * once after a fault); idempotent. Closing does not wait for the exit: episodes close servers all the time.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (fault == null && process.isAlive()) {
            try {
                call("close", Map.of(), GRACE, "step_timeout_s", result -> result);
                closed = true;
                input.close();
                process.onExit().completeOnTimeout(process, GRACE.toMillis(), TimeUnit.MILLISECONDS)
                        .thenRun(() -> kill(process));
                return;
            } catch (RuntimeException | IOException e) {
                // stopped below
            }
        }
        closed = true;
        kill(process);
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        LIVE.remove(process);
    }

    private static String quote(String received) {
        return "'" + abbreviate(received, QUOTED) + "'";
    }

    static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "... (" + text.length() + " characters)";
    }

    private static String seconds(Duration d) {
        return Double.toString(d.toMillis() / 1000.0);
    }
}
