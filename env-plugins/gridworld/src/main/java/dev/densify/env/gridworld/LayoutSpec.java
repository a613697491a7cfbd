package dev.densify.env.gridworld;

import dev.densify.api.env.Task;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that fixes a task's layout and episodes, carried in the task's metadata so that a task alone rebuilds
 * its maze: the generator's parameters, its seed, and how budgets and starts are chosen.
 */
record LayoutSpec(int size, int keyDoorPairs, double loops, int stepBudget, double budgetFactor, boolean randomStart,
                  long layoutSeed) {

    static LayoutSpec of(GridworldConfig config, int extraSize, int extraPairs, long layoutSeed) {
        return new LayoutSpec(config.size() + extraSize, config.keyDoorPairs() + extraPairs, config.loops(),
                config.stepBudget(), config.budgetFactor(), config.randomStart(), layoutSeed);
    }

    Map<String, String> toMetadata() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("size", Integer.toString(size));
        metadata.put("keyDoorPairs", Integer.toString(keyDoorPairs));
        metadata.put("loops", Double.toString(loops));
        metadata.put("stepBudget", Integer.toString(stepBudget));
        metadata.put("budgetFactor", Double.toString(budgetFactor));
        metadata.put("randomStart", Boolean.toString(randomStart));
        metadata.put("layoutSeed", Long.toString(layoutSeed));
        return metadata;
    }

    /** The spec a gridworld task carries; other tasks are refused with a message naming the missing entry. */
    static LayoutSpec of(Task task) {
        Map<String, String> m = task.metadata();
        try {
            return new LayoutSpec(Integer.parseInt(get(task, "size")), Integer.parseInt(get(task, "keyDoorPairs")),
                    Double.parseDouble(get(task, "loops")), Integer.parseInt(get(task, "stepBudget")),
                    Double.parseDouble(get(task, "budgetFactor")), Boolean.parseBoolean(get(task, "randomStart")),
                    Long.parseLong(get(task, "layoutSeed")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("task '" + task.id() + "' has malformed gridworld metadata " + m, e);
        }
    }

    private static String get(Task task, String key) {
        String value = task.metadata().get(key);
        if (value == null) {
            throw new IllegalArgumentException("task '" + task.id() + "' is not a gridworld task: its metadata has no '"
                    + key + "'; use the tasks that the gridworld provider generates");
        }
        return value;
    }
}
