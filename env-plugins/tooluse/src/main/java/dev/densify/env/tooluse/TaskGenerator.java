package dev.densify.env.tooluse;

import dev.densify.api.config.ConfigException;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates the questions of a configuration: training ones from the training templates, held-out ones from the
 * others, taking the templates in turn and skipping parameters already drawn. A task's metadata holds its template,
 * parameters and budget, so that a task alone rebuilds its episodes.
 */
final class TaskGenerator {
    /** Draws tried per task before concluding that the templates have too few distinct questions. */
    static final int DUPLICATES_TOLERATED = 1000;

    private TaskGenerator() {
    }

    static TaskSet generate(ToolUseConfig config, String path) {
        String at = path.isEmpty() ? "" : path + ".";
        return new TaskSet(tier(config, "train", config.trainTasks(), at + "train_tasks"),
                tier(config, "held-out", config.heldOutTasks(), at + "held_out_tasks"));
    }

    private static List<Task> tier(ToolUseConfig config, String tier, int count, String key) {
        List<Template> templates = Template.of(tier.equals("held-out")).stream()
                .filter(t -> tier.equals("held-out") || config.trainTemplates().isEmpty()
                        || config.trainTemplates().contains(t.id()))
                .toList();
        SplittableRandom random = new SplittableRandom(config.seed() * 31 + tier.hashCode());
        Set<String> taken = new HashSet<>();
        List<Task> tasks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tasks.add(task(config, tier, i, templates, random, taken, key));
        }
        return tasks;
    }

    private static Task task(ToolUseConfig config, String tier, int i, List<Template> templates,
                             SplittableRandom random, Set<String> taken, String key) {
        for (int attempt = 0; attempt < DUPLICATES_TOLERATED; attempt++) {
            Template template = templates.get((i + attempt) % templates.size());
            Map<String, String> params = template.draw(random);
            if (!taken.add(template.id() + params)) {
                continue;
            }
            Problem problem = template.build(params);
            int budget = config.stepBudget() > 0 ? config.stepBudget()
                    : (int) Math.ceil(config.budgetFactor() * problem.actions().size());
            Map<String, String> metadata = new LinkedHashMap<>(params);
            metadata.put("template", template.id());
            metadata.put("tier", tier);
            metadata.put("stepBudget", Integer.toString(budget));
            return new Task(tier + "-" + String.format("%03d", i), problem.question() + " " + Tools.USAGE, metadata);
        }
        throw new ConfigException(key, "the " + tier + " templates have too few distinct questions for task " + i
                + "; ask for fewer tasks");
    }

    /** The problem and budget a task carries; other tasks are refused with a message naming what is missing. */
    static Problem problem(Task task) {
        String template = task.metadata().get("template");
        if (template == null || !task.metadata().containsKey("stepBudget")) {
            throw new IllegalArgumentException("task '" + task.id() + "' is not a tool-use task: its metadata has no "
                    + "'template' or 'stepBudget'; use the tasks that the tooluse provider generates");
        }
        Map<String, String> params = new LinkedHashMap<>(task.metadata());
        params.remove("template");
        params.remove("tier");
        params.remove("stepBudget");
        try {
            return Template.byId(template).build(params);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("task '" + task.id() + "' has malformed tool-use metadata "
                    + task.metadata() + ": " + e.getMessage(), e);
        }
    }

    static int budget(Task task) {
        try {
            int budget = Integer.parseInt(task.metadata().get("stepBudget"));
            if (budget < 1) {
                throw new NumberFormatException("not positive");
            }
            return budget;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("task '" + task.id() + "' has a malformed stepBudget '"
                    + task.metadata().get("stepBudget") + "'", e);
        }
    }
}
