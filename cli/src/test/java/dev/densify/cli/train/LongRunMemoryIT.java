package dev.densify.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.core.config.ConfigComposer;
import dev.densify.core.config.ConfigRequest;
import dev.densify.core.plugin.PluginRegistry;
import dev.densify.core.train.IterationMetrics;
import dev.densify.core.train.Trainer;
import dev.densify.core.train.TrainingListener;
import dev.densify.core.train.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a long run keeps from one iteration to the next is bounded: the policy's native arrays stay as they were
 * after the first iteration, and the trajectories held for a checkpoint's receipts are at most those since the last
 * checkpoint (none without checkpoints). Real plugins, model and buffer, a few quick iterations.
 */
class LongRunMemoryIT {
    private static final int EPISODES = 4;
    private static final int ITERATIONS = 5;

    private final PluginRegistry registry = PluginRegistry.discover(LongRunMemoryIT.class.getClassLoader());

    @ParameterizedTest(name = "checkpoint_every={0}")
    @ValueSource(ints = {0, 2})
    void iterationsLeaveNothingGrowingBehind(int checkpointEvery, @TempDir Path folder) {
        var config = new ConfigComposer(registry).compose(ConfigRequest.of("policy.preset=micro",
                "trainer.iterations=" + ITERATIONS, "trainer.episodes_per_iteration=" + EPISODES,
                "trainer.group_size=4", "trainer.eval_every=0", "trainer.sample_trajectories=0",
                "trainer.warm_start_episodes=8", "trainer.warm_start_epochs=1",
                "trainer.checkpoint_every=" + checkpointEvery));
        List<Integer> arrays = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        Trainer[] opened = new Trainer[1];
        TrainingListener listener = new TrainingListener() {
            @Override
            public void iteration(int iteration, int iterations, IterationMetrics metrics) {
                arrays.add(opened[0].policy().model().liveArrays());
                held.add(metrics.deliveriesHeld());
            }
        };
        try (Trainer trainer = TrainingRun.open(config, registry, folder, false, listener)) {
            opened[0] = trainer;
            trainer.run();
        }
        assertEquals(ITERATIONS, arrays.size());
        assertTrue(arrays.stream().allMatch(arrays.get(0)::equals), "the policy's native arrays by iteration " + arrays);
        for (int i = 0; i < ITERATIONS; i++) {
            // a metrics line is written before its iteration's checkpoint, which then settles what it held
            int expected = checkpointEvery == 0 ? 0 : EPISODES * (i % checkpointEvery + 1);
            assertEquals(expected, held.get(i), "deliveries held after iteration " + i + ": " + held);
        }
    }
}
