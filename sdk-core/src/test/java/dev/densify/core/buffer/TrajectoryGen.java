package dev.densify.core.buffer;

import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.floats;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.densify.api.env.Outcome;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;

/** Random trajectories for property tests, and small fixed ones for example-based tests. */
final class TrajectoryGen {

    private static final Gen<Integer> SMALL = integers().between(0, 6);
    private static final Gen<Integer> ANY_INT = integers().all();
    private static final Gen<Long> ANY_LONG = longs().all();
    private static final Gen<Boolean> BOOL = booleans().all();
    private static final Gen<Float> FLOAT = floats().any();
    private static final Gen<Double> DOUBLE = doubles().any();
    // Unicode scalar values: every code point except the surrogate range, which UTF-8 cannot carry.
    private static final Gen<Integer> CODE_POINT = integers().between(0, 0x10FFFF - 0x800)
            .map(cp -> cp < 0xD800 ? cp : cp + 0x800);
    private static final Gen<Integer> ASCII = integers().between(0, 127);

    private TrajectoryGen() {}

    /** Any trajectory: unicode text with control characters, any ints, floats and doubles (NaN included). */
    static Gen<Trajectory> trajectories() {
        return in -> {
            int steps = SMALL.generate(in);
            List<Step> list = new ArrayList<>(steps);
            for (int i = 0; i < steps; i++) {
                int actionTokens = SMALL.generate(in);
                Map<String, String> info = new LinkedHashMap<>();
                for (int k = SMALL.generate(in) / 2; k > 0; k--) {
                    info.put(text(in, 8), text(in, 8));
                }
                list.add(new Step(text(in, 40), text(in, 12), text(in, 40), ints(in, SMALL.generate(in) * 10),
                        text(in, 16), ints(in, actionTokens), floatArray(in, actionTokens), DOUBLE.generate(in),
                        BOOL.generate(in), info));
            }
            return new Trajectory(text(in, 20), text(in, 10), text(in, 10), ANY_LONG.generate(in),
                    ANY_LONG.generate(in), list, text(in, 40), text(in, 12),
                    new Outcome(DOUBLE.generate(in), BOOL.generate(in)), BOOL.generate(in));
        };
    }

    /** A gridworld-like trajectory: {@code steps} steps, 60 prompt tokens and 4 action tokens each. */
    static Trajectory gridworld(String id, long policyVersion, int steps) {
        List<Step> list = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            int[] prompt = new int[60];
            for (int t = 0; t < prompt.length; t++) {
                prompt[t] = (i * 131 + t * 17) % 32_000;
            }
            list.add(new Step("You are at (" + i + ", 2). Walls: north, east. Goal is south-west.", "s" + i,
                    "#####\n#A..#\n#..G#\n#####", prompt, "move south", new int[] {5, 77, 913, 2},
                    new float[] {-0.1f, -0.02f, -1.5f, -0.001f}, 0.0, i == steps - 1, Map.of()));
        }
        return new Trajectory(id, "maze-3", "group-1", 7, policyVersion, list, "You reached the goal.", "goal",
                new Outcome(1.0, true), true);
    }

    private static String text(RandomnessSource in, int maxLength) {
        int length = integers().between(0, maxLength).generate(in);
        boolean ascii = BOOL.generate(in);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.appendCodePoint((ascii ? ASCII : CODE_POINT).generate(in));
        }
        return sb.toString();
    }

    private static int[] ints(RandomnessSource in, int n) {
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = ANY_INT.generate(in);
        }
        return values;
    }

    private static float[] floatArray(RandomnessSource in, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = FLOAT.generate(in);
        }
        return values;
    }
}
