package dev.densify.env.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Observation;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A server outlives its environment: the next environment of the same configuration resets the same process, and
 * gets exactly the episode a fresh server gives. A server that faulted or answered what an episode is dropped for
 * never serves again, reuse can be turned off, and idle servers are closed.
 */
class ServerReuseTest {
    private static final Task TASK = new Task("walk-5-4", "Walk to the goal.", Map.of("length", "5", "goal", "4"));

    private final ProcessProvider provider = new ProcessProvider();

    private ProcessEnvironment start(PluginConfig config) {
        return (ProcessEnvironment) provider.create(config);
    }

    private static long pid(ProcessEnvironment env) {
        return env.server().handle().pid();
    }

    private static void assertStopped(ProcessEnvironment env) throws Exception {
        env.server().handle().onExit().get(5, TimeUnit.SECONDS);
        assertFalse(env.server().handle().isAlive());
    }

    /** An episode of {@code env}: its reset and every step's result, walking right, then left. */
    private static List<Object> episode(ProcessEnvironment env, long seed) {
        Observation first = env.reset(TASK, seed);
        StepResult right = env.step("right");
        StepResult left = env.step("left");
        return List.of(first, right, left, env.score(), env.render());
    }

    @Test
    void theNextEnvironmentResetsTheSameServerAndGetsAFreshServersEpisode() throws Exception {
        PluginConfig config = Servers.example("reuse_servers", false);
        List<Object> fresh;
        try (ProcessEnvironment alone = start(config)) {
            fresh = episode(alone, 7L);
        }
        PluginConfig reusing = Servers.example();
        ProcessEnvironment first = start(reusing);
        long pid = pid(first);
        episode(first, 3L);
        first.step("right"); // left mid-episode: the next reset must start afresh all the same
        first.close();
        assertThrows(IllegalStateException.class, first::render, "a closed environment is not called again");
        try (ProcessEnvironment second = start(reusing)) {
            assertEquals(pid, pid(second), "the closed environment's server serves the next one");
            assertEquals(fresh, episode(second, 7L), "a reused server gives the episode a fresh one gives");
        }
    }

    @Test
    void aServerThatAnsweredANonNumberRewardIsNotReused() throws Exception {
        PluginConfig config = Servers.misbehaving("nan-reward");
        ProcessEnvironment env = start(config);
        env.reset(TASK, 0L);
        assertTrue(Double.isNaN(env.step("left").reward()));
        env.close();
        assertStopped(env);
        try (ProcessEnvironment next = start(config)) {
            assertNotEquals(pid(env), pid(next));
        }
    }

    @Test
    void aServerThatFaultedIsNotReused() throws Exception {
        PluginConfig config = Servers.misbehaving("garbage-on-step");
        ProcessEnvironment env = start(config);
        env.reset(TASK, 0L);
        assertThrows(ProcessServerException.class, () -> env.step("left"));
        env.close();
        assertStopped(env);
        try (ProcessEnvironment next = start(config)) {
            assertNotEquals(pid(env), pid(next));
        }
    }

    @Test
    void withReuseOffEveryEnvironmentHasANewServer() throws Exception {
        PluginConfig config = Servers.example("reuse_servers", false);
        ProcessEnvironment env = start(config);
        env.reset(TASK, 0L);
        env.close();
        assertStopped(env);
        try (ProcessEnvironment next = start(config)) {
            assertNotEquals(pid(env), pid(next));
        }
    }

    @Test
    void idleServersAreClosed() throws Exception {
        ProcessEnvironment env = start(Servers.example("step_timeout_s", 4.0));
        env.reset(TASK, 0L);
        env.close();
        assertTrue(env.server().handle().isAlive(), "a healthy server waits for the next environment");
        ServerPool.closeIdle(Duration.ZERO);
        assertStopped(env);
    }
}
