package dev.densify.cli.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.Task;
import dev.densify.core.plugin.PluginKind;
import dev.densify.core.plugin.PluginRegistry;
import dev.densify.core.train.ActionPolicy;
import dev.densify.core.train.Collector;
import dev.densify.core.train.EpisodeFailure;
import dev.densify.core.train.EpisodeSpec;
import dev.densify.core.train.SampledAction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Faults of a Python environment server are contained like any environment fault: the collector drops the episode
 * with its reason and goes on, and no server process is left behind, whichever deadline fires first.
 */
class ProcessFaultContainmentTest {
    private static final Path MISBEHAVING = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent()
            .resolve("env-plugins/process/src/test/python/misbehaving.py");
    private static final Task TASK = new Task("walk-5-4", "Walk to the goal.", Map.of("length", "5", "goal", "4"));

    private final EnvironmentProvider provider = PluginRegistry.discover(getClass().getClassLoader())
            .provider(PluginKind.ENV, "process");

    /** Always walks left, away from the goal: the episodes last until the fault. */
    private static final ActionPolicy LEFT = new ActionPolicy() {
        @Override
        public List<SampledAction> act(List<String> observations, long seed) {
            return observations.stream().map(o -> new SampledAction(new int[0], new int[] {1}, new float[] {0f},
                    "left")).toList();
        }

        @Override
        public long version() {
            return 0;
        }
    };

    private Collector.Result collect(String mode, double stepTimeoutS, Duration trainerDeadline) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("command", List.of("python3", "-S", MISBEHAVING.toString(), mode));
        values.put("step_timeout_s", stepTimeoutS);
        List<EpisodeSpec> specs = List.of(new EpisodeSpec("e0", TASK, 0L, "g"), new EpisodeSpec("e1", TASK, 1L, "g"));
        try (Collector collector = new Collector(provider, PluginConfig.of("env", values), 2, trainerDeadline, 0, 1.0)) {
            return collector.collect(specs, LEFT, 0L);
        }
    }

    private static void assertDropped(Collector.Result result, EpisodeFailure.Reason reason) {
        assertEquals(List.of(), result.trajectories());
        assertEquals(2, result.stats().failures().get(reason), () -> "failures " + result.stats().failures());
    }

    private static void assertNoServerLeft(String mode) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<ProcessHandle> left;
        do {
            left = ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(p -> p.info().commandLine()
                    .map(c -> c.contains(MISBEHAVING + " " + mode)).orElse(false)).toList();
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < end);
        assertTrue(left.isEmpty(), "servers still running: " + left);
    }

    @Test
    void aHungServerIsDroppedAtItsOwnDeadlineAndStopped() throws Exception {
        assertDropped(collect("hang-on-step", 0.5, Duration.ofSeconds(10)), EpisodeFailure.Reason.EXCEPTION);
        assertNoServerLeft("hang-on-step");
    }

    /** The trainer's deadline comes first: it abandons the call, and the interrupted call stops the server. */
    @Test
    void aHungServerAbandonedByTheTrainerIsStoppedToo() throws Exception {
        assertDropped(collect("hang-on-step", 60, Duration.ofMillis(500)), EpisodeFailure.Reason.TIMEOUT);
        assertNoServerLeft("hang-on-step");
    }

    @Test
    void aCrashAndGarbageAreDroppedEpisodes() throws Exception {
        assertDropped(collect("exit-on-step", 5, Duration.ofSeconds(10)), EpisodeFailure.Reason.EXCEPTION);
        assertDropped(collect("garbage-on-step", 5, Duration.ofSeconds(10)), EpisodeFailure.Reason.EXCEPTION);
        assertNoServerLeft("exit-on-step");
        assertNoServerLeft("garbage-on-step");
    }

    @Test
    void aNanRewardIsCaughtAsNan() throws Exception {
        assertDropped(collect("nan-reward", 5, Duration.ofSeconds(10)), EpisodeFailure.Reason.NAN);
        assertNoServerLeft("nan-reward");
    }
}
