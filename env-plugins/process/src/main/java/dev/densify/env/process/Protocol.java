package dev.densify.env.process;

import dev.densify.api.env.Observation;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The protocol's messages as densify's types, both ways (docs/process-protocol.md). Decoders throw
 * IllegalArgumentException naming the first field that is missing or of the wrong type; optional fields take
 * their documented defaults.
 */
final class Protocol {
    private Protocol() {}

    static Map<String, Object> task(Task task) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", task.id());
        out.put("instruction", task.instruction());
        out.put("metadata", new LinkedHashMap<>(task.metadata()));
        return out;
    }

    static List<String> hello(Map<String, Object> result) {
        Object protocol = result.get("protocol");
        if (!Long.valueOf(ServerProcess.PROTOCOL).equals(protocol)) {
            throw new IllegalArgumentException("the server speaks protocol " + protocol + "; densify speaks "
                    + ServerProcess.PROTOCOL);
        }
        return strings(result.getOrDefault("capabilities", List.of()), "capabilities");
    }

    static TaskSet tasks(Map<String, Object> result) {
        return new TaskSet(taskList(result, "train"), taskList(result, "held_out"));
    }

    private static List<Task> taskList(Map<String, Object> result, String field) {
        List<Task> tasks = new ArrayList<>();
        List<?> items = list(result.get(field), field);
        for (int i = 0; i < items.size(); i++) {
            String at = field + "[" + i + "]";
            Map<String, Object> item = object(items.get(i), at);
            Map<String, String> metadata = new LinkedHashMap<>();
            object(item.getOrDefault("metadata", Map.of()), at + ".metadata")
                    .forEach((k, v) -> metadata.put(k, scalar(v, at + ".metadata." + k)));
            tasks.add(new Task(string(item, "id", at), string(item, "instruction", at), metadata));
        }
        return tasks;
    }

    static Observation observation(Map<String, Object> result) {
        return observation(result, "");
    }

    private static Observation observation(Map<String, Object> fields, String at) {
        String stateKey = string(fields, "state_key", at);
        Object anchor = fields.get("anchor_key");
        return new Observation(string(fields, "text", at), stateKey,
                strings(fields.getOrDefault("admissible_actions", List.of()), at + "admissible_actions"),
                anchor == null ? stateKey : string(fields, "anchor_key", at));
    }

    static StepResult stepResult(Map<String, Object> result) {
        Observation observation = observation(object(result.get("observation"), "observation"), "observation.");
        double reward = number(result, "reward", "");
        boolean done = bool(result, "done");
        Map<String, String> info = new LinkedHashMap<>();
        object(result.getOrDefault("info", Map.of()), "info").forEach((k, v) -> info.put(k, scalar(v, "info." + k)));
        Object truncation = result.getOrDefault("truncation", "none");
        StepResult.Truncation cut;
        try {
            cut = StepResult.Truncation.valueOf(String.valueOf(truncation).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'truncation' is " + Json.write(truncation)
                    + "; expected \"none\", \"bootstrap\" or \"budget_in_state\"");
        }
        if (!done && cut != StepResult.Truncation.NONE) {
            throw new IllegalArgumentException("'truncation' is " + Json.write(truncation) + " on a step that is not done");
        }
        return new StepResult(observation, reward, done, info, cut);
    }

    static Outcome outcome(Map<String, Object> result) {
        return new Outcome(number(result, "reward", ""), bool(result, "success"));
    }

    static String text(Map<String, Object> result) {
        return string(result, "text", "");
    }

    static Object state(Map<String, Object> result) {
        if (!result.containsKey("state")) {
            throw new IllegalArgumentException("'state' is missing");
        }
        return result.get("state");
    }

    static Optional<List<String>> plan(Map<String, Object> result) {
        Object actions = result.get("actions");
        return actions == null ? Optional.empty() : Optional.of(List.copyOf(strings(actions, "actions")));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value, String at) {
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("'" + at + "' is " + describe(value) + "; expected an object");
        }
        return (Map<String, Object>) value;
    }

    private static List<?> list(Object value, String at) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("'" + at + "' is " + describe(value) + "; expected a list");
        }
        return list;
    }

    private static List<String> strings(Object value, String at) {
        List<?> items = list(value, at);
        List<String> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof String s)) {
                throw new IllegalArgumentException("'" + at + "[" + i + "]' is " + describe(items.get(i))
                        + "; expected a string");
            }
            out.add(s);
        }
        return out;
    }

    private static String string(Map<String, Object> fields, String key, String at) {
        if (!(fields.get(key) instanceof String s)) {
            throw new IllegalArgumentException("'" + at + (at.isEmpty() || at.endsWith(".") ? "" : ".") + key + "' is "
                    + describe(fields.get(key)) + "; expected a string");
        }
        return s;
    }

    /** Info and metadata values are strings; numbers and booleans are taken as their text. */
    private static String scalar(Object value, String at) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        throw new IllegalArgumentException("'" + at + "' is " + describe(value) + "; expected a string");
    }

    /** NaN and infinities pass: densify's own checks report them as such. */
    private static double number(Map<String, Object> fields, String key, String at) {
        if (!(fields.get(key) instanceof Number n)) {
            throw new IllegalArgumentException("'" + at + key + "' is " + describe(fields.get(key))
                    + "; expected a number");
        }
        return n.doubleValue();
    }

    private static boolean bool(Map<String, Object> fields, String key) {
        if (!(fields.get(key) instanceof Boolean b)) {
            throw new IllegalArgumentException("'" + key + "' is " + describe(fields.get(key)) + "; expected true or false");
        }
        return b;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "missing";
        }
        return ServerProcess.abbreviate(Json.write(value instanceof Double d && !Double.isFinite(d) ? d.toString()
                : value), 60);
    }
}
