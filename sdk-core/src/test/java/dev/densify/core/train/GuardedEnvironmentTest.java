package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.env.Environment;
import dev.densify.api.env.Observation;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Oversized text from an environment is garbage like a null: the episode is dropped before the text is kept. */
class GuardedEnvironmentTest {
    private final ExecutorService calls = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        calls.shutdownNow();
    }

    /** Every observation and rendering {@code chars} characters long. */
    private static Environment sized(int chars, boolean hugeKey) {
        String text = "x".repeat(chars);
        Observation observation = new Observation(hugeKey ? "small" : text, hugeKey ? text : "k", List.of("go"));
        return new Environment() {
            public Observation reset(Task task, long seed) {
                return observation;
            }

            public StepResult step(String action) {
                return new StepResult(observation, 0.0, true, Map.of());
            }

            public Outcome score() {
                return new Outcome(0.0, false);
            }

            public Environment fork() {
                return this;
            }

            public String render() {
                return text;
            }
        };
    }

    private GuardedEnvironment guarded(Environment environment) {
        return new GuardedEnvironment(environment, "big", new Task("t", "i", Map.of()), calls, Duration.ofSeconds(5));
    }

    @Test
    void textAtTheLimitIsAccepted() {
        GuardedEnvironment env = guarded(sized(GuardedEnvironment.MAX_TEXT_CHARS, false));
        assertEquals(GuardedEnvironment.MAX_TEXT_CHARS, env.reset(1).text().length());
        assertEquals(GuardedEnvironment.MAX_TEXT_CHARS, env.render().length());
        assertEquals(GuardedEnvironment.MAX_TEXT_CHARS, env.step("go").observation().text().length());
    }

    @Test
    void anObservationOrRenderingBeyondTheLimitDropsTheEpisodeNamingItsSize() {
        int over = GuardedEnvironment.MAX_TEXT_CHARS + 1;
        EpisodeFailure reset = assertThrows(EpisodeFailure.class, () -> guarded(sized(over, false)).reset(1));
        assertEquals(EpisodeFailure.Reason.INVALID_OBSERVATION, reset.reason());
        assertEquals("environment 'big', task t: reset returned an observation of 1048577 characters; at most 1048576"
                + " are accepted", reset.getMessage());
        EpisodeFailure step = assertThrows(EpisodeFailure.class, () -> guarded(sized(over, true)).step("go"));
        assertTrue(step.getMessage().endsWith("step returned a state key of 1048577 characters; at most 1048576 are"
                + " accepted"), step.getMessage());
        EpisodeFailure render = assertThrows(EpisodeFailure.class, () -> guarded(sized(over, false)).render());
        assertEquals(EpisodeFailure.Reason.INVALID_OBSERVATION, render.reason());
        assertTrue(render.getMessage().endsWith("render returned a rendering of 1048577 characters; at most 1048576"
                + " are accepted"), render.getMessage());
    }
}
