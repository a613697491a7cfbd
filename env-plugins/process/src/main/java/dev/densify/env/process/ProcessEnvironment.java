package dev.densify.env.process;

import dev.densify.api.env.Demonstrable;
import dev.densify.api.env.Environment;
import dev.densify.api.env.Observation;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An environment served by a child process: each instance has one server to itself, each call one request with the
 * step deadline. The server comes from the {@link ServerPool} (a healthy one an earlier environment closed, or a new
 * one) and goes back to it on close. The episode's task, seed and accepted actions are kept, so that fork can replay
 * them on a fresh server when the server declines to hand over its state.
 */
class ProcessEnvironment implements Environment {
    private final ProcessConfig config;
    private final ServerProcess server;
    private Task task;
    private long seed;
    private final List<String> actions = new ArrayList<>();
    private String stateKey;
    private boolean closed;

    ProcessEnvironment(ProcessConfig config, ServerProcess server) {
        this.config = config;
        this.server = server;
    }

    /** A server (a waiting one or a new one) and the environment over it, Demonstrable when it announced it. */
    static ProcessEnvironment start(ProcessConfig config) {
        ServerProcess server = ServerPool.take(config);
        return server.capabilities().contains("demonstrate") ? new Demonstrating(config, server)
                : new ProcessEnvironment(config, server);
    }

    @Override
    public Observation reset(Task task, long seed) {
        Objects.requireNonNull(task, "task");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("task", Protocol.task(task));
        params.put("seed", seed);
        Observation observation = call("reset", params, Protocol::observation);
        this.task = task;
        this.seed = seed;
        actions.clear();
        stateKey = observation.stateKey();
        return observation;
    }

    @Override
    public StepResult step(String action) {
        Objects.requireNonNull(action, "action");
        StepResult result = call("step", Map.of("action", action), Protocol::stepResult);
        if (!Double.isFinite(result.reward())) {
            server.taint(); // the trainer drops the episode; the server is not trusted with another
        }
        actions.add(action);
        stateKey = result.observation().stateKey();
        return result;
    }

    @Override
    public Outcome score() {
        Outcome outcome = call("score", Map.of(), Protocol::outcome);
        if (!Double.isFinite(outcome.reward())) {
            server.taint();
        }
        return outcome;
    }

    @Override
    public String render() {
        return call("render", Map.of(), Protocol::text);
    }

    /**
     * The server's state in a new server: the fork op hands it over and a fresh server restores it. A server that
     * declines gets the fallback the configuration names: a fresh server replaying the episode, or a refusal.
     */
    @Override
    public Environment fork() {
        Object state;
        try {
            state = call("fork", Map.of(), Protocol::state);
        } catch (UnsupportedOperationException declined) {
            if (config.forkFallback() == ProcessConfig.ForkFallback.REFUSE) {
                throw new UnsupportedOperationException(declined.getMessage() + "; env.fork_fallback is refuse, so "
                        + "this environment cannot fork (set env.fork_fallback=replay for a deterministic server)",
                        declined);
            }
            return replay();
        }
        ProcessEnvironment copy = start(config);
        try {
            copy.call("restore", Map.of("state", state), result -> result);
            copy.inherit(this);
            return copy;
        } catch (RuntimeException e) {
            copy.close();
            throw e;
        }
    }

    /** A fresh server walked through this episode; a different state key at the end means it is not deterministic. */
    private Environment replay() {
        ProcessEnvironment copy = start(config);
        try {
            if (task != null) {
                copy.reset(task, seed);
                for (String action : actions) {
                    copy.step(action);
                }
            }
            if (!Objects.equals(copy.stateKey, stateKey)) {
                throw new ProcessServerException(server.name() + " declined fork, and replaying reset(task "
                        + task.id() + ", seed " + seed + ") and " + actions.size() + " actions on a fresh server "
                        + "reached state key '" + copy.stateKey + "' instead of '" + stateKey + "': the server is not "
                        + "deterministic, so forking by replay cannot work; give it a fork op (get_state/set_state)");
            }
            return copy;
        } catch (RuntimeException e) {
            copy.close();
            throw e;
        }
    }

    private void inherit(ProcessEnvironment original) {
        task = original.task;
        seed = original.seed;
        actions.addAll(original.actions);
        stateKey = original.stateKey;
    }

    <T> T call(String op, Map<String, ?> params, java.util.function.Function<Map<String, Object>, T> decode) {
        if (closed) {
            throw new IllegalStateException("this process environment is closed");
        }
        return server.call(op, params, config.stepTimeout(), "step_timeout_s", decode);
    }

    ServerProcess server() {
        return server;
    }

    /** Hands the server back to the pool, which keeps it for the next environment if it is healthy. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ServerPool.give(config, server);
    }

    /** A server that announced the demonstrate op. */
    static final class Demonstrating extends ProcessEnvironment implements Demonstrable {
        Demonstrating(ProcessConfig config, ServerProcess server) {
            super(config, server);
        }

        @Override
        public Optional<List<String>> demonstrate() {
            return call("demonstrate", Map.of(), Protocol::plan);
        }
    }
}
