package dev.densify.env.sokoban;

import dev.densify.api.config.ConfigException;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Generates the train and held-out task sets of a configuration. Every task has its own room: a seed whose room was
 * already taken is skipped, so held-out rooms are never seen in training.
 */
final class TaskGenerator {
    /** Seeds skipped per task before concluding that the configuration has too few distinct rooms. */
    static final int DUPLICATES_TOLERATED = 200;

    static final String INSTRUCTION = "Push every box $ onto a goal . (you are @; * is a box on a goal).";

    private final SokobanConfig config;
    private final String at;
    private final Set<String> taken = new HashSet<>();

    private TaskGenerator(SokobanConfig config, String path) {
        this.config = config;
        this.at = path.isEmpty() ? "" : path + ".";
    }

    static TaskSet generate(SokobanConfig config, String path) {
        TaskGenerator generator = new TaskGenerator(config, path);
        List<Task> train = generator.tier("train", config.trainTasks(), false);
        List<Task> heldOut = new ArrayList<>(generator.tier("held-out", config.heldOutTasks(), false));
        heldOut.addAll(generator.tier("harder", config.harderTasks(), true));
        return new TaskSet(train, heldOut);
    }

    private List<Task> tier(String name, int count, boolean harder) {
        long tierSeed = Seeds.mix(config.seed(), name.hashCode());
        List<Task> tasks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tasks.add(task(name + "-" + String.format("%03d", i), name, Seeds.mix(tierSeed, i), harder));
        }
        return tasks;
    }

    private Task task(String id, String tier, long seed, boolean harder) {
        for (int skipped = 0; skipped < DUPLICATES_TOLERATED; skipped++) {
            long roomSeed = Seeds.mix(seed, skipped);
            int span = config.maxBoxes() - config.minBoxes() + 1;
            int boxes = harder ? config.maxBoxes() + config.harderExtraBoxes()
                    : config.minBoxes() + (int) Math.floorMod(Seeds.mix(roomSeed, 7), (long) span);
            RoomSpec spec = new RoomSpec(config.size() + (harder ? config.harderExtraSize() : 0), boxes,
                    config.wallFraction(), config.reverseMoves(), config.stepBudget(), config.budgetFactor(),
                    config.randomStart(), roomSeed);
            Room room;
            try {
                room = RoomGenerator.generate(spec);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(at + (harder ? "harder_extra_boxes" : "max_boxes"), e.getMessage());
            }
            // Rooms that differ only in where the player stands are one puzzle: the picture without the player.
            String picture = room.picture(room.start(room.startPlayer())).replace(Room.PLAYER, Room.FLOOR)
                    .replace(Room.PLAYER_ON_GOAL, Room.GOAL);
            if (taken.add(picture)) {
                Map<String, String> metadata = spec.toMetadata();
                metadata.put("tier", tier);
                return new Task(id, INSTRUCTION, metadata);
            }
        }
        String count = harder ? "harder_tasks" : tier.equals("train") ? "train_tasks" : "held_out_tasks";
        throw new ConfigException(at + count, "there are too few distinct rooms for task " + id
                + "; ask for fewer tasks, more reverse moves or a larger size");
    }
}
