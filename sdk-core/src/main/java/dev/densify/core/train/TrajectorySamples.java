package dev.densify.core.train;

import dev.densify.core.train.PhaseTimes.Phase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the first trajectories of each batch to {@code trajectories/iter-NNNNN.jsonl.gz}, each step with the V(s),
 * dense reward and advantage it was trained with: what the run browser shows. Its time is the iteration's
 * {@link Phase#WRITE}.
 */
final class TrajectorySamples implements IterationListener {
    private final Path folder;
    private final int count;

    /** @param count trajectories kept per iteration ({@code trainer.sample_trajectories}); 0 keeps none */
    TrajectorySamples(Path folder, int count) {
        this.folder = folder;
        this.count = count;
    }

    @Override
    public void onIteration(IterationContext c) {
        c.timed(Phase.WRITE, () -> write(c));
    }

    private void write(IterationContext c) {
        int n = Math.min(c.batch().size(), count);
        if (n == 0) {
            return;
        }
        List<TrajectoryFiles.StepValues> annotations = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            annotations.add(new TrajectoryFiles.StepValues(c.values().get(k), c.rewards().get(k).rewards(),
                    c.advantages().get(k).advantages()));
        }
        TrajectoryFiles.write(folder.resolve(String.format("iter-%05d.jsonl.gz", c.iteration())),
                c.batch().subList(0, n), annotations);
    }
}
