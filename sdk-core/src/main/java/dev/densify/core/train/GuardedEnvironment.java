package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.env.Demonstrable;
import dev.densify.api.env.Environment;
import dev.densify.api.env.Observation;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls into a plugin's environment with a deadline, and checks what comes back. Plugin code can throw, hang
 * or return NaN; each of these becomes an {@link EpisodeFailure} naming the environment, the task and the call,
 * so that the collector drops the episode and the run goes on. A hung call's thread is interrupted and the
 * environment abandoned: it is never called again.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class GuardedEnvironment implements AutoCloseable {
    /**
     * The longest observation text, state key or rendering accepted, in characters: far beyond what any policy's
     * context reads, and a bound on what one step holds in memory, in trajectory files and in the critic's replay.
     */
    public static final int MAX_TEXT_CHARS = 1 << 20;

    private final Environment environment;
    private final String environmentName;
    private final Task task;
    private final ExecutorService executor;
    private final Duration deadline;
    private boolean abandoned;

    public GuardedEnvironment(Environment environment, String environmentName, Task task, ExecutorService executor,
                              Duration deadline) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.environmentName = Objects.requireNonNull(environmentName, "environmentName");
        this.task = Objects.requireNonNull(task, "task");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
    }

    public Observation reset(long seed) {
        return valid(call("reset", () -> environment.reset(task, seed)), "reset");
    }

    public StepResult step(String action) {
        StepResult result = call("step", () -> environment.step(action));
        if (result == null) {
            throw failure(EpisodeFailure.Reason.INVALID_OBSERVATION, "step returned null", null);
        }
        valid(result.observation(), "step");
        if (!Double.isFinite(result.reward())) {
            throw failure(EpisodeFailure.Reason.NAN, "step returned reward " + result.reward(), null);
        }
        return result;
    }

    public Outcome score() {
        Outcome outcome = call("score", environment::score);
        if (outcome == null) {
            throw failure(EpisodeFailure.Reason.INVALID_OBSERVATION, "score returned null", null);
        }
        if (!Double.isFinite(outcome.reward())) {
            throw failure(EpisodeFailure.Reason.NAN, "score returned reward " + outcome.reward(), null);
        }
        return outcome;
    }

    /** The environment's expert plan from the current state; empty when it cannot demonstrate. */
    public Optional<List<String>> demonstrate() {
        if (!(environment instanceof Demonstrable demonstrable)) {
            return Optional.empty();
        }
        Optional<List<String>> plan = call("demonstrate", demonstrable::demonstrate);
        return plan == null ? Optional.empty() : plan;
    }

    /** An independent copy in the same state (the fork runs under the same deadline and checks). */
    public GuardedEnvironment fork() {
        Environment copy = call("fork", environment::fork);
        if (copy == null) {
            throw failure(EpisodeFailure.Reason.INVALID_OBSERVATION, "fork returned null", null);
        }
        if (copy == environment) {
            throw failure(EpisodeFailure.Reason.EXCEPTION, "fork returned the environment itself, not a copy", null);
        }
        return new GuardedEnvironment(copy, environmentName, task, executor, deadline);
    }

    public String render() {
        String text = call("render", environment::render);
        return text == null ? "" : bounded(text, "render", "a rendering");
    }

    private Observation valid(Observation observation, String call) {
        if (observation == null) {
            throw failure(EpisodeFailure.Reason.INVALID_OBSERVATION, call + " returned no observation", null);
        }
        bounded(observation.text(), call, "an observation");
        bounded(observation.stateKey(), call, "a state key");
        bounded(observation.anchorKey(), call, "an anchor key");
        return observation;
    }

    private String bounded(String text, String call, String what) {
        if (text.length() > MAX_TEXT_CHARS) {
            throw failure(EpisodeFailure.Reason.INVALID_OBSERVATION, call + " returned " + what + " of "
                    + text.length() + " characters; at most " + MAX_TEXT_CHARS + " are accepted", null);
        }
        return text;
    }

    private <T> T call(String name, Callable<T> body) {
        if (abandoned) {
            throw failure(EpisodeFailure.Reason.EXCEPTION, name + " called on an abandoned environment", null);
        }
        Future<T> future = executor.submit(body);
        try {
            return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            abandoned = true;
            throw failure(EpisodeFailure.Reason.TIMEOUT, name + " did not return within " + deadline.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw failure(EpisodeFailure.Reason.EXCEPTION, name + " threw " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw failure(EpisodeFailure.Reason.EXCEPTION, name + " was interrupted", e);
        }
    }

    private EpisodeFailure failure(EpisodeFailure.Reason reason, String what, Throwable cause) {
        return new EpisodeFailure(reason, "environment '" + environmentName + "', task " + task.id() + ": " + what, cause);
    }

    @Override
    public void close() {
        if (!abandoned) {
            try {
                environment.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(GuardedEnvironment.class)
                        .warn("environment '{}' failed to close: {}", environmentName, e.toString());
            }
        }
    }
}
