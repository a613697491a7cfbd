package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.densify.api.env.Outcome;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrajectoryFilesTest {
    static Trajectory trajectory(String id, int steps) {
        List<Step> list = new java.util.ArrayList<>();
        for (int t = 0; t < steps; t++) {
            list.add(new Step("obs " + t + " <b>", "k" + t, "render " + t, new int[] {1, 2}, "up", new int[] {7, 8},
                    new float[] {-0.5f, -0.25f}, t == steps - 1 ? 1.0 : 0.0, t == steps - 1, Map.of()));
        }
        return new Trajectory(id, "task-" + id, "g", 3, 1, list, "final", "kf", new Outcome(1.0, true), true);
    }

    @Test
    void oldFilesReadWithoutValues(@TempDir Path dir) {
        Path file = dir.resolve("iter-00000.jsonl.gz");
        TrajectoryFiles.write(file, List.of(trajectory("a", 2)));
        List<TrajectoryFiles.Sample> read = TrajectoryFiles.readSamples(file);
        assertEquals(trajectory("a", 2), read.get(0).trajectory());
        assertEquals(0, read.get(0).values().values().length);
        assertEquals(List.of(trajectory("a", 2)), TrajectoryFiles.read(file));
    }

    @Test
    void perStepValuesRoundTripAndTheTrajectoryIsUnchanged(@TempDir Path dir) {
        Path file = dir.resolve("iter-00001.jsonl.gz");
        TrajectoryFiles.StepValues v = new TrajectoryFiles.StepValues(new double[] {0.25, Double.NaN, 0.75, 0.0},
                new double[] {0.1, -0.2, 1.5}, new double[] {Double.POSITIVE_INFINITY, 0.5, -1});
        TrajectoryFiles.write(file, List.of(trajectory("a", 3), trajectory("b", 1)),
                List.of(v, TrajectoryFiles.StepValues.NONE));
        List<TrajectoryFiles.Sample> read = TrajectoryFiles.readSamples(file);
        assertEquals(trajectory("a", 3), read.get(0).trajectory());
        assertArrayEquals(new double[] {0.25, Double.NaN, 0.75}, read.get(0).values().values());
        assertArrayEquals(v.denseRewards(), read.get(0).values().denseRewards());
        assertArrayEquals(v.advantages(), read.get(0).values().advantages());
        assertEquals(trajectory("b", 1), read.get(1).trajectory());
        assertEquals(0, read.get(1).values().advantages().length);
    }

    @Test
    void valuesOfTheWrongLengthAreRefused(@TempDir Path dir) {
        TrajectoryFiles.StepValues v = new TrajectoryFiles.StepValues(new double[0], new double[] {1}, new double[0]);
        assertThrows(IllegalArgumentException.class,
                () -> TrajectoryFiles.write(dir.resolve("x.jsonl.gz"), List.of(trajectory("a", 3)), List.of(v)));
    }
}
