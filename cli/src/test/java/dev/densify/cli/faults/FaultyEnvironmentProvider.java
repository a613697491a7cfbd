package dev.densify.cli.faults;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Environment;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test only, and only on a plugin path (FaultInjectionIT jars it with its defaults file and services line): a corridor
 * whose environments misbehave on purpose. Of every {@code period} environments created, the first
 * {@link Fault#values()}{@code .length} each plant one fault, in order; the others play fair. An environment that
 * plants its fault first appends the fault's name to the {@code journal} file, so that a test can compare what was
 * planted with what the trainer counted.
 */
public final class FaultyEnvironmentProvider implements EnvironmentProvider {
    /** The keys of META-INF/densify/env/faulty.yaml. */
    public record FaultyConfig(int length, int maxSteps, int period, String journal) {
        public FaultyConfig {
            if (length < 2 || maxSteps < 1) {
                throw new IllegalArgumentException("length must be at least 2 and max_steps positive, got " + length
                        + " and " + maxSteps);
            }
            if (period < Fault.values().length) {
                throw new IllegalArgumentException("period must be at least " + Fault.values().length + " (one"
                        + " environment per fault), got " + period);
            }
        }

        public static FaultyConfig defaults() {
            return new FaultyConfig(4, 4, 20, "");
        }
    }

    private final AtomicLong created = new AtomicLong();

    @Override
    public String name() {
        return "faulty";
    }

    @Override
    public String description() {
        return "test only: a corridor whose environments throw, hang, return NaN or garbage on purpose";
    }

    @Override
    public Environment create(PluginConfig config) {
        FaultyConfig settings = config.bind(FaultyConfig.class);
        int slot = (int) (created.getAndIncrement() % settings.period());
        Fault fault = slot < Fault.values().length ? Fault.values()[slot] : null;
        return new FaultyEnvironment(settings, fault);
    }

    @Override
    public TaskSet tasks(PluginConfig config) {
        return new TaskSet(List.of(new Task("walk-0", "Reach the end of the corridor.", Map.of()),
                new Task("walk-1", "Reach the end of the corridor.", Map.of())),
                List.of(new Task("walk-held-out", "Reach the end of the corridor.", Map.of())));
    }
}
