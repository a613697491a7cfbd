package dev.densify.core.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.densify.api.API;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything a rollout worker must share with the learner for its trajectories to mean what the learner thinks:
 * the environment and its configuration, the training task set, the prompt format, the tokenizer, the policy
 * architecture, the group size and the step limit. Keys are named like configuration keys ({@code env.size},
 * {@code trainer.group_size}) so that a refusal can say what to change; long values (task sets) are digests.
 *
 * <p>The learner publishes its fingerprint in Redis; a worker compares its own with it at start and is refused
 * when a key differs, and stamps its trajectories with the {@link #digest()} of its fingerprint over the learner's
 * keys, which the learner's buffer requires (see {@code RedisTrajectoryBuffer.useFingerprint}).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record RunFingerprint(SortedMap<String, String> entries) {
    private static final ObjectMapper JSON = new ObjectMapper();
    // Text that exercises ASCII, newlines, maze symbols and multi-byte UTF-8: two tokenizers that agree on it
    // almost surely agree everywhere the environments go.
    private static final String TOKENIZER_PROBE = "#####\n#A.K#\n#.D.G#\nAction: move north\n\u00e9\u4e2d 0123 !?";

    public RunFingerprint {
        entries = new TreeMap<>(Objects.requireNonNull(entries, "entries"));
        entries.forEach((k, v) -> {
            Objects.requireNonNull(k, "key");
            Objects.requireNonNull(v, "value of " + k);
        });
        entries = java.util.Collections.unmodifiableSortedMap(entries);
    }

    /** The keys a run's composed configuration and task set fix; {@link #withPolicy} adds the model's. */
    public static RunFingerprint of(ComposedConfig config, TaskSet tasks) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(tasks, "tasks");
        TrainerSettings trainer = config.group("trainer").bind(TrainerSettings.class);
        SortedMap<String, String> e = new TreeMap<>(base(trainer.groupSize()).entries());
        e.put("env", config.selected("env"));
        flatten("env", config.group("env").asMap(), e);
        e.put("trainer.max_steps", Integer.toString(trainer.maxSteps()));
        // workers build the prompts the learner trains on: they must build them alike
        flatten("policy.prompt", config.group("policy").child("prompt").asMap(), e);
        e.put("tasks.train", tasks(tasks.train()));
        return new RunFingerprint(e);
    }

    /** Only what every learner knows without the configuration: the group size and the prompt format. */
    public static RunFingerprint base(int groupSize) {
        SortedMap<String, String> e = new TreeMap<>();
        e.put("trainer.group_size", Integer.toString(groupSize));
        e.put("prompt", "sha256 " + sha256(AgentPrompt.prompt("\u0001observation\u0001") + "\u0000"
                + AgentPrompt.completion("\u0001action\u0001") + "\u0000" + AgentPrompt.STOP_STRINGS).substring(0, 16));
        return new RunFingerprint(e);
    }

    /** This fingerprint with the tokenizer and the architecture of the model that acts or learns. */
    public RunFingerprint withPolicy(LlamaModel model) {
        Objects.requireNonNull(model, "model");
        SortedMap<String, String> e = new TreeMap<>(entries);
        Tokenizer t = model.tokenizer();
        int[] probe = t.encode(TOKENIZER_PROBE, true);
        StringBuilder ids = new StringBuilder();
        for (int id : probe) {
            ids.append(id).append(',');
        }
        e.put("policy.tokenizer", t.getClass().getSimpleName() + " vocab " + t.vocabSize() + " bos " + t.bos()
                + " eos " + t.eos() + " probe sha256 " + sha256(ids.toString()).substring(0, 16));
        e.put("policy.architecture", model.config().toString());
        return new RunFingerprint(e);
    }

    /** The entries of {@code keys} only; a key this fingerprint lacks is left out (and counts as a difference). */
    public RunFingerprint restrictedTo(Set<String> keys) {
        SortedMap<String, String> e = new TreeMap<>(entries);
        e.keySet().retainAll(keys);
        return new RunFingerprint(e);
    }

    /**
     * The keys of {@code learner} whose values this fingerprint does not share, each as
     * {@code key (learner X, worker Y)}; empty when this fingerprint matches.
     */
    public List<String> differencesFrom(RunFingerprint learner) {
        List<String> out = new ArrayList<>();
        learner.entries().forEach((key, value) -> {
            String mine = entries.get(key);
            if (!value.equals(mine)) {
                out.add(key + " (learner " + value + ", worker " + (mine == null ? "not set" : mine) + ")");
            }
        });
        return out;
    }

    /** A SHA-256 of the entries, lower-case hex: what trajectories carry. */
    public String digest() {
        StringBuilder sb = new StringBuilder();
        entries.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sha256(sb.toString());
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(entries);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a run fingerprint", e);
        }
    }

    /** Reads {@link #toJson()}; anything else is an {@link IllegalArgumentException} naming {@code source}. */
    public static RunFingerprint fromJson(String json, String source) {
        try {
            Map<String, String> map = JSON.readValue(json, new TypeReference<Map<String, String>>() {});
            return new RunFingerprint(new TreeMap<>(map));
        } catch (JsonProcessingException | NullPointerException e) {
            throw new IllegalArgumentException(source + " is not a run fingerprint (a JSON object of strings)");
        }
    }

    private static void flatten(String prefix, Map<String, Object> node, SortedMap<String, String> out) {
        node.forEach((key, value) -> {
            String path = prefix + "." + key;
            if (value instanceof Map<?, ?> child) {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) child;
                flatten(path, typed, out);
            } else {
                out.put(path, String.valueOf(value));
            }
        });
    }

    private static String tasks(List<Task> tasks) {
        StringBuilder sb = new StringBuilder();
        for (Task t : tasks) {
            sb.append(t.id()).append('\u0000').append(t.instruction()).append('\u0000')
                    .append(new TreeMap<>(t.metadata())).append('\u0001');
        }
        return tasks.size() + " tasks, sha256 " + sha256(sb.toString()).substring(0, 16);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
