package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.floats;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.densify.api.env.Outcome;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.buffer.DropReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class TrajectoryValidatorTest {
    private static final int VOCAB = 259;
    private static final int CONTEXT = 16;

    private static TrajectoryValidator validator() {
        return new TrajectoryValidator(VOCAB, CONTEXT, 4, Optional.of(Set.of("maze-1")), 2);
    }

    private static Trajectory trajectory(String id, String group, long version, int[] prompt, int[] action) {
        float[] logProbs = new float[action.length];
        return new Trajectory(id, "maze-1", group, 1, version, List.of(new Step("o", "s", "r", prompt, "a", action,
                logProbs, 0.0, true, Map.of())), "f", "fs", new Outcome(1, true), true);
    }

    private static Optional<String> reason(TrajectoryValidator v, Trajectory t, long newest) {
        return v.check(t, newest).map(TrajectoryValidator.Violation::reason);
    }

    @Test
    @DisplayName("the edges of every range are allowed, one past them is not")
    void edges() {
        TrajectoryValidator v = validator();
        assertEquals(Optional.empty(), reason(v, trajectory("a", "g1", 3, new int[] {0, VOCAB - 1},
                new int[CONTEXT - 2]), 3));
        assertEquals(Optional.of(DropReason.INVALID_TOKENS), reason(v, trajectory("b", "g2", 0, new int[] {VOCAB},
                new int[0]), 3));
        assertEquals(Optional.of(DropReason.INVALID_TOKENS), reason(v, trajectory("c", "g2", 0, new int[] {1},
                new int[CONTEXT]), 3));
        assertEquals(Optional.of(DropReason.FUTURE_POLICY), reason(v, trajectory("d", "g2", 4, new int[] {1},
                new int[0]), 3));
        assertEquals(Optional.of(DropReason.FUTURE_POLICY), reason(v, trajectory("e", "g2", -1, new int[] {1},
                new int[0]), 3));
        assertEquals(Optional.of(DropReason.INVALID_TOKENS), reason(v, trajectory("f", "g2", 0, new int[0],
                new int[0]), 3));
    }

    @Test
    @DisplayName("a group takes group_size distinct trajectories; a redelivered member does not count twice")
    void groupSize() {
        TrajectoryValidator v = validator();
        Trajectory a = trajectory("a", "g", 0, new int[] {1}, new int[] {2});
        assertEquals(Optional.empty(), reason(v, a, 0));
        assertEquals(Optional.empty(), reason(v, a, 0), "the same trajectory again (a redelivery)");
        assertEquals(Optional.empty(), reason(v, trajectory("b", "g", 0, new int[] {1}, new int[] {2}), 0));
        assertEquals(Optional.of(DropReason.GROUP_SIZE), reason(v, trajectory("c", "g", 0, new int[] {1},
                new int[] {2}), 0));
    }

    @Test
    @DisplayName("any trajectory, however wild its numbers, gets an answer, never an exception")
    void totalOnAnyInput() {
        Gen<Integer> token = integers().all();
        Gen<Float> logProb = floats().any();
        Gen<Double> number = doubles().any();
        Gen<Trajectory> any = in -> {
            List<Step> steps = new ArrayList<>();
            for (int s = integers().between(0, 6).generate(in); s > 0; s--) {
                int[] prompt = new int[integers().between(0, 20).generate(in)];
                for (int i = 0; i < prompt.length; i++) {
                    prompt[i] = token.generate(in);
                }
                int n = integers().between(0, 4).generate(in);
                int[] action = new int[n];
                float[] lp = new float[n];
                for (int i = 0; i < n; i++) {
                    action[i] = token.generate(in);
                    lp[i] = logProb.generate(in);
                }
                steps.add(new Step("o", "s", "r", prompt, "a", action, lp, number.generate(in), false, Map.of()));
            }
            return new Trajectory("t" + longs().all().generate(in), integers().between(0, 1).generate(in) == 0
                    ? "maze-1" : "other", "g" + integers().between(0, 3).generate(in), 1,
                    longs().between(-3, 6).generate(in), steps, "f", "fs",
                    new Outcome(number.generate(in), true), true);
        };
        TrajectoryValidator v = validator();
        qt().withExamples(2000).forAll(any).checkAssert(t -> {
            Optional<TrajectoryValidator.Violation> answer = v.check(t, 3);
            answer.ifPresent(violation -> assertTrue(!violation.detail().isBlank()));
        });
    }
}
