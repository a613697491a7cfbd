package dev.densify.env.sokoban;

import dev.densify.api.env.Task;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that fixes a task's room and episodes, carried in the task's metadata so that a task alone rebuilds its
 * room: the generator's parameters, its seed, and how budgets and starts are chosen.
 */
record RoomSpec(int size, int boxes, double wallFraction, int reverseMoves, int stepBudget, double budgetFactor,
                boolean randomStart, long roomSeed) {

    Map<String, String> toMetadata() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("size", Integer.toString(size));
        metadata.put("boxes", Integer.toString(boxes));
        metadata.put("wallFraction", Double.toString(wallFraction));
        metadata.put("reverseMoves", Integer.toString(reverseMoves));
        metadata.put("stepBudget", Integer.toString(stepBudget));
        metadata.put("budgetFactor", Double.toString(budgetFactor));
        metadata.put("randomStart", Boolean.toString(randomStart));
        metadata.put("roomSeed", Long.toString(roomSeed));
        return metadata;
    }

    /** The spec a Sokoban task carries; other tasks are refused with a message naming the missing entry. */
    static RoomSpec of(Task task) {
        try {
            return new RoomSpec(Integer.parseInt(get(task, "size")), Integer.parseInt(get(task, "boxes")),
                    Double.parseDouble(get(task, "wallFraction")), Integer.parseInt(get(task, "reverseMoves")),
                    Integer.parseInt(get(task, "stepBudget")), Double.parseDouble(get(task, "budgetFactor")),
                    Boolean.parseBoolean(get(task, "randomStart")), Long.parseLong(get(task, "roomSeed")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("task '" + task.id() + "' has malformed sokoban metadata "
                    + task.metadata(), e);
        }
    }

    private static String get(Task task, String key) {
        String value = task.metadata().get(key);
        if (value == null) {
            throw new IllegalArgumentException("task '" + task.id() + "' is not a sokoban task: its metadata has no '"
                    + key + "'; use the tasks that the sokoban provider generates");
        }
        return value;
    }
}
