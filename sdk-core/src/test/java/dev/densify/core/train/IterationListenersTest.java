package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.core.train.PhaseTimes.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The listeners that hear each iteration: the reward-hacking alarm records its verdict in the line it writes. */
class IterationListenersTest {
    /** An iteration's figures as the alarm reads them. */
    private static IterationMetrics figures(int i, double startValue, double denseReturn, double success) {
        return IterationMetrics.fromMap(Map.of("iteration", i, "value_by_step", List.of(startValue, 0.1),
                "dense_return_mean", denseReturn, "train_success", success));
    }

    private static IterationContext context(IterationMetrics m, List<Phase> timed) {
        return new IterationContext(m.iteration(), List.of(), List.of(), List.of(), List.of(), m, new PhaseTimes(),
                System.nanoTime(), (phase, work) -> {
                    timed.add(phase);
                    work.run();
                });
    }

    @Test
    void theAlarmAsAListenerRecordsTheVerdictItsWindowGivesAndReplayedIterationsCountInIt() {
        double[] dense = {0.5, 0.6, 0.7, 0.9, 1.0, 1.2, 1.3};
        double[] success = {0.5, 0.5, 0.45, 0.4, 0.35, 0.3, 0.3};
        HackingAlarm reference = new HackingAlarm();
        HackingAlarm listener = new HackingAlarm();
        List<Boolean> expected = new ArrayList<>();
        List<Boolean> recorded = new ArrayList<>();
        for (int i = 0; i < dense.length; i++) {
            expected.add(reference.observe(0.5, dense[i], success[i]).fired());
            IterationMetrics m = figures(i, 0.5, dense[i], success[i]);
            if (i < 3) {
                // a resumed run's iterations, read back from their lines: heard, not judged again
                listener.replay(m);
                recorded.add(expected.get(i));
            } else {
                IterationContext c = context(m, new ArrayList<>());
                listener.onIteration(c);
                recorded.add(c.metrics().alarm());
                assertEquals(m.withAlarm(c.metrics().alarm()), c.metrics(), "the verdict is all it changes");
            }
        }
        assertEquals(expected, recorded);
        assertTrue(recorded.get(recorded.size() - 1), "the rise of dense returns without success fired it");
        assertFalse(recorded.get(0));
    }

    @Test
    void trajectorySamplesAreTheIterationsWritePhaseEvenWhenNoneAreKept() {
        List<Phase> timed = new ArrayList<>();
        new TrajectorySamples(java.nio.file.Path.of("unused"), 0).onIteration(context(figures(0, 0, 0, 0), timed));
        assertEquals(List.of(Phase.WRITE), timed);
    }
}
