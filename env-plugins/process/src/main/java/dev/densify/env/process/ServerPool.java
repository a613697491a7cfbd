package dev.densify.env.process;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Servers kept running between episodes. The trainer creates an environment per episode; starting an interpreter for
 * each costs far more than a reset, so a healthy server whose environment closes waits here, per configuration, for
 * the next environment, which resets it. Only a server that never faulted comes back (see
 * {@link ServerProcess#reusable()}); one idle for {@link #IDLE} is closed, so that a finished training leaves none
 * behind for long. The pool never holds more servers than were running at once.
 */
final class ServerPool {
    /** How long a server may wait unused before it is closed. */
    static final Duration IDLE = Duration.ofSeconds(20);

    private record Idle(ServerProcess server, long since) {}

    private static final Map<ProcessConfig, Deque<Idle>> IDLE_SERVERS = new HashMap<>();
    private static ScheduledExecutorService reaper;

    private ServerPool() {}

    /** A waiting server of {@code config}, or a new one when none waits (or reuse is off). */
    static ServerProcess take(ProcessConfig config) {
        if (config.reuseServers()) {
            List<ServerProcess> dead = new ArrayList<>();
            try {
                synchronized (IDLE_SERVERS) {
                    Deque<Idle> idle = IDLE_SERVERS.get(config);
                    while (idle != null && !idle.isEmpty()) {
                        ServerProcess server = idle.pop().server();
                        if (server.reusable()) {
                            return server;
                        }
                        dead.add(server);
                    }
                }
            } finally {
                dead.forEach(ServerProcess::close);
            }
        }
        return ServerProcess.start(config);
    }

    /** Keeps {@code server} for the next environment of {@code config} if it is healthy, else closes it. */
    static void give(ProcessConfig config, ServerProcess server) {
        if (!config.reuseServers() || !server.reusable()) {
            server.close();
            return;
        }
        synchronized (IDLE_SERVERS) {
            IDLE_SERVERS.computeIfAbsent(config, c -> new ArrayDeque<>()).push(new Idle(server, System.nanoTime()));
            if (reaper == null) {
                reaper = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread thread = new Thread(r, "densify-process-env-idle");
                    thread.setDaemon(true);
                    return thread;
                });
                long period = IDLE.toMillis() / 4;
                reaper.scheduleWithFixedDelay(() -> closeIdle(IDLE), period, period, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Closes the servers that waited longer than {@code longer} (outside the lock: closing waits for an answer). */
    static void closeIdle(Duration longer) {
        List<ServerProcess> expired = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (IDLE_SERVERS) {
            for (Deque<Idle> idle : IDLE_SERVERS.values()) {
                for (Iterator<Idle> it = idle.iterator(); it.hasNext(); ) {
                    Idle waiting = it.next();
                    if (now - waiting.since() >= longer.toNanos()) {
                        expired.add(waiting.server());
                        it.remove();
                    }
                }
            }
            IDLE_SERVERS.values().removeIf(Deque::isEmpty);
        }
        expired.forEach(ServerProcess::close);
    }
}
