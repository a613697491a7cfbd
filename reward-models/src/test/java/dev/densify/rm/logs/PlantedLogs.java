package dev.densify.rm.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Logs of a planted reward function, deterministic in the seed. A state names a room, an item held and a clock
 * reading (filler the reward ignores) in shuffled order; the action is one of six commands. The reward is
 * {@code f(state, action) + N(0, noise^2)} with
 * {@code f = ACTION_VALUE[action] + ROOM_VALUE[room] + 1.5 * [item == key and action == open the door]}:
 * additive in parts, plus an interaction no model of the action alone or the state alone can get.
 */
final class PlantedLogs {
    static final String[] ROOMS = {"kitchen", "garden", "cellar", "attic", "hall", "library"};
    static final double[] ROOM_VALUE = {0.0, 0.4, -0.6, 0.2, -0.2, 0.6};
    static final String[] ITEMS = {"key", "lamp", "coin", "nothing"};
    static final String[] ACTIONS = {"open the door", "pick up the item", "go north", "go south", "wait", "read the book"};
    static final double[] ACTION_VALUE = {-0.5, 0.3, 0.1, -0.1, -0.8, 0.5};
    static final double INTERACTION = 1.5;

    private PlantedLogs() {}

    /** The planted function, without noise. */
    static double reward(int room, int item, int action) {
        return ACTION_VALUE[action] + ROOM_VALUE[room] + (item == 0 && action == 0 ? INTERACTION : 0);
    }

    /**
     * {@code episodes} episodes of 4 to 8 steps; {@code roomShift} biases which rooms occur (0 = uniform), for the
     * drift check.
     */
    static List<LogRecord> generate(int episodes, double noise, long seed, String source, double roomShift) {
        Random random = new Random(seed);
        List<LogRecord> out = new ArrayList<>();
        for (int e = 0; e < episodes; e++) {
            int steps = 4 + random.nextInt(5);
            for (int t = 0; t < steps; t++) {
                int room = random.nextDouble() < roomShift ? 5 : random.nextInt(ROOMS.length);
                int item = random.nextInt(ITEMS.length);
                int action = random.nextInt(ACTIONS.length);
                List<String> parts = new ArrayList<>(List.of("you are in the " + ROOMS[room] + ".",
                        "you hold " + (item == 3 ? "nothing" : "a " + ITEMS[item]) + ".",
                        "the clock shows " + (1 + random.nextInt(12)) + "."));
                java.util.Collections.shuffle(parts, random);
                String state = String.join(" ", parts);
                double reward = reward(room, item, action) + noise * random.nextGaussian();
                out.add(new LogRecord(state, ACTIONS[action], reward, true, "", source + "-" + e, t,
                        "2026-01-01T00:00:" + String.format("%02d", t), source, "planted:" + out.size()));
            }
        }
        return out;
    }

    /** The variance of the noiseless planted function over uniform rooms, items and actions. */
    static double signalVariance() {
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (int r = 0; r < ROOMS.length; r++) {
            for (int i = 0; i < ITEMS.length; i++) {
                for (int a = 0; a < ACTIONS.length; a++) {
                    double f = reward(r, i, a);
                    sum += f;
                    squares += f * f;
                    n++;
                }
            }
        }
        double mean = sum / n;
        return squares / n - mean * mean;
    }

    /**
     * The share of variance the best predictor from the action alone explains: E[Var(f | action)] is what it
     * leaves, so R^2 = 1 - (E_a Var(f | a) + noise^2) / (Var(f) + noise^2).
     */
    static double actionOnlyR2(double noise) {
        double residual = 0;
        for (int a = 0; a < ACTIONS.length; a++) {
            double sum = 0;
            double squares = 0;
            int n = 0;
            for (int r = 0; r < ROOMS.length; r++) {
                for (int i = 0; i < ITEMS.length; i++) {
                    double f = reward(r, i, a);
                    sum += f;
                    squares += f * f;
                    n++;
                }
            }
            residual += (squares / n - (sum / n) * (sum / n)) / ACTIONS.length;
        }
        double total = signalVariance() + noise * noise;
        return 1 - (residual + noise * noise) / total;
    }
}
