package dev.densify.env.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Environment;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real Python servers that hang, crash, print garbage, fail or decline fork, and what densify makes of them. */
class ProcessFaultTest {
    private static final Task TASK = new Task("walk-5-4", "Walk to the goal.", Map.of("length", "5", "goal", "4"));

    private final ProcessProvider provider = new ProcessProvider();

    private ProcessEnvironment start(PluginConfig config) {
        return (ProcessEnvironment) provider.create(config);
    }

    private static void assertStopped(ProcessEnvironment env) throws Exception {
        env.server().handle().onExit().get(5, TimeUnit.SECONDS);
        assertFalse(env.server().handle().isAlive());
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "'" + part + "' is not in the message:\n" + message);
        }
    }

    @Test
    void aServerThatHangsIsStoppedAtTheDeadlineAndNeverCalledAgain() throws Exception {
        try (ProcessEnvironment env = start(Servers.misbehaving("hang-on-step", "step_timeout_s", 0.5))) {
            env.reset(TASK, 0L);
            long begin = System.nanoTime();
            ProcessServerException e = assertThrows(ProcessServerException.class, () -> env.step("right"));
            assertTrue(System.nanoTime() - begin < TimeUnit.SECONDS.toNanos(4), "the deadline held");
            assertContains(e.getMessage(), "environment server `python3 -S", "misbehaving.py hang-on-step`",
                    "did not answer step within 0.5 s (env.step_timeout_s); it was stopped");
            assertStopped(env);
            ProcessServerException again = assertThrows(ProcessServerException.class, env::render);
            assertContains(again.getMessage(), "render called on a server that was stopped after an earlier fault");
        }
    }

    @Test
    void aServerThatExitsMidEpisodeIsReportedWithItsExitCodeAndLastWords() throws Exception {
        try (ProcessEnvironment env = start(Servers.misbehaving("exit-on-step"))) {
            env.reset(TASK, 0L);
            ProcessServerException e = assertThrows(ProcessServerException.class, () -> env.step("right"));
            assertContains(e.getMessage(), "exited with code 3 during step",
                    "the last lines it wrote to standard error:\n  about to crash in step");
            assertStopped(env);
        }
    }

    @Test
    void garbageOnStandardOutputIsQuotedAndStopsTheServer() throws Exception {
        try (ProcessEnvironment env = start(Servers.misbehaving("garbage-on-step"))) {
            env.reset(TASK, 0L);
            ProcessServerException e = assertThrows(ProcessServerException.class, () -> env.step("right"));
            assertContains(e.getMessage(), "answered step with a line that is not JSON (unexpected word at character 1)",
                    ": 'this is not json'");
            assertStopped(env);
        }
    }

    @Test
    void garbageBeforeTheHandshakeFailsTheStart() {
        ProcessServerException e = assertThrows(ProcessServerException.class,
                () -> start(Servers.misbehaving("garbage-at-start")));
        assertContains(e.getMessage(), "answered hello with a line that is not JSON", "'Welcome to my environment!'");
    }

    @Test
    void aResultWithoutARequiredFieldNamesTheFieldAndQuotesTheAnswer() throws Exception {
        try (ProcessEnvironment env = start(Servers.misbehaving("wrong-fields"))) {
            env.reset(TASK, 0L);
            ProcessServerException e = assertThrows(ProcessServerException.class, () -> env.step("right"));
            assertContains(e.getMessage(), "answered step with a result that does not follow the protocol "
                    + "('observation.state_key' is missing; expected a string)", "\"text\":\"goal here; steps left 9\"");
            assertStopped(env);
        }
    }

    @Test
    void anExceptionInTheEnvironmentFailsTheCallButNotTheServer() {
        try (ProcessEnvironment env = start(Servers.misbehaving("raise-on-step"))) {
            env.reset(TASK, 0L);
            ProcessServerException e = assertThrows(ProcessServerException.class, () -> env.step("right"));
            assertContains(e.getMessage(), "failed in step (failed): ValueError: the planted failure",
                    "Traceback (most recent call last)");
            assertEquals("...AG  steps left 10", env.render(), "the server still serves");
        }
    }

    @Test
    void aStrayPrintGoesToStandardErrorNotIntoTheProtocol() {
        try (ProcessEnvironment env = start(Servers.misbehaving("print-in-step"))) {
            env.reset(TASK, 0L);
            assertEquals("goal here; steps left 9", env.step("right").observation().text());
        }
    }

    @Test
    void aNanRewardReachesDensifyAsNanForItsOwnCheck() {
        try (ProcessEnvironment env = start(Servers.misbehaving("nan-reward"))) {
            env.reset(TASK, 0L);
            StepResult result = env.step("right");
            assertTrue(Double.isNaN(result.reward()));
        }
    }

    @Test
    void aServerThatDoesNotStartInTimeIsStopped() {
        ProcessServerException e = assertThrows(ProcessServerException.class,
                () -> start(Servers.misbehaving("slow-start", "start_timeout_s", 0.5)));
        assertContains(e.getMessage(), "did not answer hello within 0.5 s (env.start_timeout_s)");
    }

    @Test
    void anotherProtocolVersionIsRefusedAtTheHandshake() {
        ProcessServerException e = assertThrows(ProcessServerException.class,
                () -> start(Servers.misbehaving("old-protocol")));
        assertContains(e.getMessage(), "refused hello: protocol 1 is not supported; this server speaks 0");
    }

    @Test
    void aCommandThatCannotRunIsNamed() {
        PluginConfig config = PluginConfig.of("env", Map.of("command", "no-such-densify-server --flag"));
        ProcessServerException e = assertThrows(ProcessServerException.class, () -> start(config));
        assertContains(e.getMessage(), "cannot start the environment server `no-such-densify-server --flag`");
    }

    @Test
    void aDeclinedForkIsReplayedOnAFreshServer() {
        try (ProcessEnvironment env = start(Servers.misbehaving("no-fork"))) {
            env.reset(TASK, 3L);
            env.step("right");
            try (Environment fork = env.fork()) {
                assertEquals(env.render(), fork.render());
                assertEquals(env.step("right"), fork.step("right"));
            }
        }
    }

    @Test
    void aDeclinedForkWithTheRefuseFallbackThrowsUnsupportedOperation() {
        try (ProcessEnvironment env = start(Servers.misbehaving("no-fork", "fork_fallback", "refuse"))) {
            env.reset(TASK, 3L);
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, env::fork);
            assertContains(e.getMessage(), "refused fork: Misbehaving has no get_state/set_state",
                    "env.fork_fallback is refuse");
        }
    }

    @Test
    void replayingANondeterministicServerIsCaught() {
        try (ProcessEnvironment env = start(Servers.misbehaving("nondeterministic"))) {
            env.reset(TASK, 3L);
            env.step("left");
            ProcessServerException e = assertThrows(ProcessServerException.class, env::fork);
            assertContains(e.getMessage(), "declined fork, and replaying reset(task walk-5-4, seed 3) and 1 actions",
                    "the server is not deterministic");
        }
    }

    /** How the trainer gives up on a call past its own deadline: it interrupts the thread and abandons the environment. */
    @Test
    void anInterruptedCallStopsTheServer() throws Exception {
        ExecutorService calls = Executors.newSingleThreadExecutor();
        try (ProcessEnvironment env = start(Servers.misbehaving("hang-on-step", "step_timeout_s", 60.0))) {
            env.reset(TASK, 0L);
            Future<StepResult> step = calls.submit(() -> env.step("right"));
            Thread.sleep(300);
            step.cancel(true);
            assertStopped(env);
        } finally {
            calls.shutdownNow();
        }
    }

    @Test
    void closingStopsTheServerAndIsIdempotent() throws Exception {
        ProcessEnvironment env = start(Servers.example("reuse_servers", false));
        env.reset(TASK, 0L);
        env.close();
        env.close();
        assertStopped(env);
        assertThrows(IllegalStateException.class, env::render);
    }

    @Test
    void theConfigurationNamesWhatIsWrong() {
        ConfigException missing = assertThrows(ConfigException.class,
                () -> ProcessConfig.from(PluginConfig.empty("env")));
        assertContains(missing.getMessage(), "env.command", "is empty");
        ConfigException unclosed = assertThrows(ConfigException.class,
                () -> ProcessConfig.from(PluginConfig.of("env", Map.of("command", "python3 'my env.py"))));
        assertContains(unclosed.getMessage(), "env.command", "a single quote at character 9 is not closed");
        ConfigException timeout = assertThrows(ConfigException.class,
                () -> ProcessConfig.from(Servers.example("step_timeout_s", 0)));
        assertContains(timeout.getMessage(), "env.step_timeout_s", "0.0 is out of range");
        ConfigException folder = assertThrows(ConfigException.class,
                () -> ProcessConfig.from(Servers.example("working_dir", "/no/such/folder")));
        assertContains(folder.getMessage(), "env.working_dir", "'/no/such/folder' is not a directory");
        assertEquals(List.of("python3", "my env.py", "--name=a b"), ProcessConfig.from(PluginConfig.of("env",
                Map.of("command", "python3 'my env.py' --name=\"a b\""))).command());
    }
}
