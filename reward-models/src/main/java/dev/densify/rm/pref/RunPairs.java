package dev.densify.rm.pref;

import dev.densify.api.API;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.train.TrajectoryFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

/**
 * Preference pairs from densify's own run folders: the trajectories training sampled
 * ({@code trajectories/iter-*.jsonl.gz}). Two episodes of the same task form a pair when one is preferred: a success
 * over a failure, or, when both succeeded or both failed, the higher return (outcome reward plus step rewards) over
 * the lower. Episodes whose texts are identical never pair.
 *
 * <p>The agent is a single module acting each round, so the pairs target one module ({@value #MODULE} by default):
 * {@code trajectory_full_context} is the episode as the agent lived it (each round's observation and action),
 * {@code module_k_all_rounds} its actions, one per line. The environment's final observation is left out, so that
 * the text shows the behaviour, not a verdict. Tasks are keyed by their id: the runs given together must share
 * the environment configuration.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class RunPairs {
    /** The module the pairs target unless told otherwise. */
    public static final String MODULE = "executor";

    private RunPairs() {}

    /**
     * What a run folder gave.
     *
     * @param tasksWithPairs tasks that had a preferred and a rejected episode
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Result(List<PreferencePair> pairs, int trajectories, int tasks, int tasksWithPairs) {
        public Result {
            pairs = List.copyOf(pairs);
        }
    }

    /** An episode under a name unique among all the runs read. */
    private record Named(String name, Trajectory trajectory) {}

    /**
     * @param runs run folders (each with a {@code trajectories/} folder)
     * @param module the target module's name
     * @param maxPairsPerTask the most pairs one task gives (a seeded sample when it has more)
     */
    public static Result build(List<Path> runs, String module, int maxPairsPerTask, long seed) throws IOException {
        Objects.requireNonNull(runs, "runs");
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("name at least one run folder");
        }
        if (module == null || module.isBlank()) {
            throw new IllegalArgumentException("the target module needs a name, e.g. " + MODULE);
        }
        if (maxPairsPerTask <= 0) {
            throw new IllegalArgumentException("max pairs per task must be positive, got " + maxPairsPerTask);
        }
        Map<String, List<Named>> byTask = new TreeMap<>();
        int count = 0;
        // Episode ids repeat across runs (every run has an "i3-g0-e1"): several runs name theirs by run folder.
        boolean distinctFolders = runs.stream().map(r -> String.valueOf(r.getFileName())).distinct().count() == runs.size();
        for (int k = 0; k < runs.size(); k++) {
            Path run = runs.get(k);
            String prefix = runs.size() == 1 ? "" : (distinctFolders ? String.valueOf(run.getFileName()) : "run" + k) + "/";
            for (Path file : trajectoryFiles(run)) {
                for (Trajectory t : TrajectoryFiles.read(file)) {
                    byTask.computeIfAbsent(t.taskId(), x -> new ArrayList<>()).add(new Named(prefix + t.id(), t));
                    count++;
                }
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("the runs " + runs + " hold no sampled trajectories (trainer."
                    + "sample_trajectories was 0?)");
        }
        Random random = new Random(seed);
        List<PreferencePair> pairs = new ArrayList<>();
        int withPairs = 0;
        for (var entry : byTask.entrySet()) {
            List<PreferencePair> own = new ArrayList<>();
            List<Named> episodes = entry.getValue();
            Map<String, String> texts = new LinkedHashMap<>();
            episodes.forEach(e -> texts.put(e.name(), context(e.trajectory())));
            for (Named a : episodes) {
                for (Named b : episodes) {
                    if (preferred(a.trajectory(), b.trajectory()) && !texts.get(a.name()).equals(texts.get(b.name()))) {
                        own.add(new PreferencePair(a.name() + ">" + b.name(), module, entry.getKey(),
                                side(a.trajectory(), texts.get(a.name())), side(b.trajectory(), texts.get(b.name()))));
                    }
                }
            }
            if (own.size() > maxPairsPerTask) {
                Collections.shuffle(own, random);
                own = own.subList(0, maxPairsPerTask);
            }
            if (!own.isEmpty()) {
                withPairs++;
            }
            pairs.addAll(own);
        }
        return new Result(pairs, count, byTask.size(), withPairs);
    }

    private static List<Path> trajectoryFiles(Path run) throws IOException {
        Path folder = run.resolve("trajectories");
        if (!Files.isDirectory(folder)) {
            throw new IOException(run + " is not a run folder with sampled trajectories: " + folder + " is missing");
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, "iter-*.jsonl.gz")) {
            stream.forEach(files::add);
        }
        Collections.sort(files);
        return files;
    }

    /** a over b: a success over a failure, else a strictly higher return. */
    static boolean preferred(Trajectory a, Trajectory b) {
        if (a.outcome().success() != b.outcome().success()) {
            return a.outcome().success();
        }
        return totalReturn(a) > totalReturn(b);
    }

    static double totalReturn(Trajectory t) {
        double sum = t.outcome().reward();
        for (double r : t.stepRewards()) {
            sum += r;
        }
        return sum;
    }

    /** The episode as the agent lived it: each round's observation and action. */
    static String context(Trajectory t) {
        return rounds(t.steps());
    }

    /**
     * {@code trajectory_full_context} of the episode made of {@code steps}, exactly as the pairs hold it: what a
     * preference model trained on them reads (the {@code reward-model} shaper scores episode prefixes with it).
     */
    public static String contextText(List<Step> steps) {
        return orNoRounds(rounds(steps));
    }

    private static String orNoRounds(String context) {
        return context.isBlank() ? "(no rounds)" : context;
    }

    /** {@code module_k_all_rounds} of the episode made of {@code steps}: its actions, one per line. */
    public static String actionsText(List<Step> steps) {
        String joined = String.join("\n", steps.stream().map(Step::action).toList());
        return joined.isBlank() ? "(no actions)" : joined;
    }

    private static String rounds(List<Step> steps) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            text.append("round ").append(i + 1).append('\n')
                    .append("observation: ").append(steps.get(i).observation()).append('\n')
                    .append("action: ").append(steps.get(i).action()).append('\n');
        }
        return text.toString();
    }

    private static PreferencePair.Side side(Trajectory t, String context) {
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("success", t.outcome().success());
        outcome.put("reward", t.outcome().reward());
        outcome.put("return", totalReturn(t));
        outcome.put("steps", t.length());
        return new PreferencePair.Side(orNoRounds(context), actionsText(t.steps()), outcome);
    }
}
