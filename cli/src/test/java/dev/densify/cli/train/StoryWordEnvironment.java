package dev.densify.cli.train;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Environment;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.Observation;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Test only: a one-step word-choice task a TinyStories model can reach. The observation is the opening of a story;
 * the episode succeeds when the action's first word is one of the configured story names. stories260K, asked to
 * continue after the agent prompt's {@code Action: }, starts with a capitalised word, a name now and then: a
 * success rate RL can raise, and held-out openings it has never been trained on show whether that generalises.
 */
public final class StoryWordEnvironment implements EnvironmentProvider {
    private static final List<String> TRAIN = List.of(
            "Once upon a time, there was a little girl. She had a friend",
            "One day, a boy went to the park. He saw a friend",
            "Once upon a time, there was a big dog. The dog met a kid",
            "Lily and her mom went to the store. They met a girl",
            "One day, a little bird flew to a tree. It saw a boy",
            "Once upon a time, there was a happy cat. The cat had a friend",
            "Tom liked to play with his ball. One day he met a girl",
            "Once upon a time, in a small house, there lived a kind girl");
    private static final List<String> HELD_OUT = List.of(
            "Once upon a time, there was a little boy. He had a sister",
            "One day, a girl found a toy in the garden. She showed it to her friend",
            "Once upon a time, a fish lived in the sea. The fish met a boy",
            "The sun was shining and a girl went outside. She saw her friend");

    @Override
    public String name() {
        return "story-word";
    }

    @Override
    public String description() {
        return "test only: continue a story opening with one of the configured names";
    }

    @Override
    public Environment create(PluginConfig config) {
        return new Episode(words(config));
    }

    @Override
    public TaskSet tasks(PluginConfig config) {
        config.bind(StoryWordConfig.class); // rejects an unknown key here too
        return new TaskSet(tasks("train", TRAIN), tasks("heldout", HELD_OUT));
    }

    private static List<Task> tasks(String prefix, List<String> openings) {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < openings.size(); i++) {
            tasks.add(new Task(prefix + "-" + i, openings.get(i), Map.of()));
        }
        return tasks;
    }

    /** The configuration: the words that succeed as the action's first word (any case). */
    record StoryWordConfig(List<String> words) {
        StoryWordConfig {
            if (words.isEmpty()) {
                throw new dev.densify.api.config.ConfigException("env.words", "is empty; name at least one word");
            }
        }

        static StoryWordConfig defaults() {
            return new StoryWordConfig(List.of("Lily", "Tom", "Ben", "Sue", "Sam", "Max", "Mia", "Anna", "Jack", "Tim",
                    "Lucy", "Sara", "Bob", "Amy", "Mum", "Mom", "Dad"));
        }
    }

    private static Set<String> words(PluginConfig config) {
        return config.bind(StoryWordConfig.class).words().stream().map(w -> w.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The action's first word, lower case, without punctuation. */
    static String firstWord(String action) {
        String[] words = action.trim().split("[^A-Za-z]+");
        for (String word : words) {
            if (!word.isEmpty()) {
                return word.toLowerCase(Locale.ROOT);
            }
        }
        return "";
    }

    private static final class Episode implements Environment {
        private final Set<String> words;
        private Task task;
        private boolean done;
        private boolean success;

        Episode(Set<String> words) {
            this.words = words;
        }

        @Override
        public Observation reset(Task task, long seed) {
            this.task = task;
            this.done = false;
            this.success = false;
            return new Observation(task.instruction(), task.id() + "@0", List.of());
        }

        @Override
        public StepResult step(String action) {
            if (done) {
                throw new IllegalStateException("the episode is over");
            }
            done = true;
            success = words.contains(firstWord(action));
            // The final state is the outcome alone: equal keys, equal states, whatever words led there.
            String outcome = success ? "success" : "failure";
            return new StepResult(new Observation(task.instruction() + " [" + outcome + "]", task.id() + "@" + outcome,
                    List.of()), success ? 1 : 0, true, Map.of());
        }

        @Override
        public Outcome score() {
            return new Outcome(success ? 1 : 0, success);
        }

        @Override
        public Environment fork() {
            Episode copy = new Episode(words);
            copy.task = task;
            copy.done = done;
            copy.success = success;
            return copy;
        }

        @Override
        public String render() {
            return task == null ? "(not started)" : task.instruction() + (done ? (success ? " [success]" : " [failure]") : "");
        }
    }
}
