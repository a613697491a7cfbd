package dev.densify.env.gridworld;

import dev.densify.api.config.ConfigException;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Generates the train and held-out task sets of a configuration. Every task has its own layout: a seed whose
 * layout was already taken is skipped, so held-out layouts are never seen in training.
 */
final class TaskGenerator {
    /** Seeds skipped per task before concluding that the configuration has too few distinct layouts. */
    static final int DUPLICATES_TOLERATED = 1000;

    private final GridworldConfig config;
    private final String at;
    private final Set<String> taken = new HashSet<>();

    private TaskGenerator(GridworldConfig config, String path) {
        this.config = config;
        this.at = path.isEmpty() ? "" : path + ".";
    }

    /**
     * The task sets; the same configuration always gives the same tasks. A configuration whose layouts cannot be
     * generated fails with a ConfigException under {@code path}.
     */
    static TaskSet generate(GridworldConfig config, String path) {
        TaskGenerator generator = new TaskGenerator(config, path);
        List<Task> train = generator.tier("train", config.trainTasks(), 0, 0);
        List<Task> heldOut = new ArrayList<>(generator.tier("held-out", config.heldOutTasks(), 0, 0));
        heldOut.addAll(generator.tier("harder", config.harderTasks(), config.harderExtraSize(),
                config.harderExtraPairs()));
        return new TaskSet(train, heldOut);
    }

    private List<Task> tier(String name, int count, int extraSize, int extraPairs) {
        long tierSeed = Seeds.mix(config.seed(), name.hashCode());
        List<Task> tasks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tasks.add(task(name + "-" + String.format("%03d", i), name, Seeds.mix(tierSeed, i), extraSize, extraPairs));
        }
        return tasks;
    }

    private Task task(String id, String tier, long seed, int extraSize, int extraPairs) {
        boolean harder = tier.equals("harder");
        for (int skipped = 0; skipped < DUPLICATES_TOLERATED; skipped++) {
            LayoutSpec spec = LayoutSpec.of(config, extraSize, extraPairs, Seeds.mix(seed, skipped));
            Layout layout;
            try {
                layout = LayoutGenerator.generate(spec);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(at + (harder ? "harder_extra_pairs" : "key_door_pairs"), e.getMessage());
            }
            if (taken.add(layout.picture())) {
                Map<String, String> metadata = spec.toMetadata();
                metadata.put("tier", tier);
                return new Task(id, instruction(spec.keyDoorPairs()), metadata);
            }
        }
        String count = harder ? "harder_tasks" : tier.equals("train") ? "train_tasks" : "held_out_tasks";
        throw new ConfigException(at + count, "there are too few distinct " + (config.size() + extraSize) + "x"
                + (config.size() + extraSize) + " layouts for task " + id + "; ask for fewer tasks or a larger size");
    }

    /** What the agent is asked, naming the keys and doors of the layout. */
    static String instruction(int pairs) {
        if (pairs == 0) {
            return "You are @. Reach the goal G.";
        }
        StringJoiner keys = new StringJoiner(", ");
        StringJoiner doors = new StringJoiner(", ");
        for (int i = 0; i < pairs; i++) {
            keys.add(Character.toString('a' + i));
            doors.add(Character.toString('A' + i));
        }
        return "You are @. Pick up key" + (pairs > 1 ? "s " : " ") + keys + " to open door" + (pairs > 1 ? "s " : " ")
                + doors + ", then reach the goal G.";
    }
}
