package dev.densify.env.process;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code process} environment's configuration, bound from the {@code env} node; every key and its default is
 * also listed in {@code META-INF/densify/env/process.yaml}.
 *
 * @param command        the server's command line: a list of words, or one string split into words the way a shell
 *                       splits them (blanks separate words, quotes group them, a backslash escapes; no variables,
 *                       globs or pipes); required
 * @param workingDir     the directory the server starts in
 * @param startTimeoutS  seconds the server may take to start and answer the handshake, and to list its tasks
 * @param stepTimeoutS   seconds any other call (reset, step, score, render, fork, demonstrate) may take; a server
 *                       that does not answer in time is stopped. Keep it below {@code trainer.step_timeout_ms}, so
 *                       that the server is stopped here rather than abandoned by the trainer
 * @param forkFallback   what fork does when the server declines it: {@code replay} starts a fresh server and replays
 *                       reset and the episode's actions (exact for deterministic servers, checked on the state key),
 *                       {@code refuse} throws UnsupportedOperationException
 * @param reuseServers   whether a healthy server outlives its environment (one episode) and is reset for the next
 *                       one, rather than a new server starting for every episode; off for a server whose reset
 *                       does not start afresh
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record ProcessConfig(List<String> command, String workingDir, double startTimeoutS, double stepTimeoutS,
                            ForkFallback forkFallback, boolean reuseServers) {

    /** What fork does when the server declines it. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public enum ForkFallback { REPLAY, REFUSE }

    private static final double MAX_TIMEOUT_S = 3600;

    public ProcessConfig {
        command = List.copyOf(command);
    }

    public static ProcessConfig defaults() {
        return PluginConfig.defaultsOf(ProcessConfig.class, "env", "process");
    }

    /** Binds and checks the node, naming the offending key by its full path. */
    public static ProcessConfig from(PluginConfig node) {
        String at = node.path().isEmpty() ? "" : node.path() + ".";
        Map<String, Object> values = new LinkedHashMap<>(node.asMap());
        Object command = values.get("command");
        if (command == null) {
            values.remove("command");
        } else if (!(command instanceof List<?>)) {
            try {
                values.put("command", CommandLine.split(command.toString()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(at + "command", e.getMessage() + " in '" + command + "'");
            }
        }
        ProcessConfig config = PluginConfig.of(node.path(), values).bind(ProcessConfig.class);
        config.check(at);
        return config;
    }

    private void check(String at) {
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw new ConfigException(at + "command", "is empty; give the environment server's command line, e.g. "
                    + at + "command=\"python3 line_walk.py\"");
        }
        if (!Files.isDirectory(Path.of(workingDir))) {
            throw new ConfigException(at + "working_dir", "'" + workingDir + "' is not a directory");
        }
        checkTimeout(at + "start_timeout_s", startTimeoutS);
        checkTimeout(at + "step_timeout_s", stepTimeoutS);
    }

    private static void checkTimeout(String key, double seconds) {
        if (!(seconds > 0 && seconds <= MAX_TIMEOUT_S)) {
            throw new ConfigException(key, seconds + " is out of range; expected seconds above 0 and at most "
                    + (int) MAX_TIMEOUT_S);
        }
    }

    Duration startTimeout() {
        return Duration.ofMillis(Math.round(startTimeoutS * 1000));
    }

    Duration stepTimeout() {
        return Duration.ofMillis(Math.round(stepTimeoutS * 1000));
    }
}
