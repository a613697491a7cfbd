package dev.densify.rm.shaper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Outcome;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.ShapingInput;
import dev.densify.api.trajectory.Step;
import dev.densify.rm.logs.LogRecord;
import dev.densify.rm.logs.LogRewardModel;
import dev.densify.rm.pref.PreferenceModel;
import dev.densify.rm.pref.RunPairs;
import dev.densify.rm.shaper.RewardModelShaperConfig.OnError;
import dev.densify.rm.shaper.RewardModelShaperConfig.Refine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the shaper gives, from which models, and how it contains a model that fails. */
class RewardModelShaperTest {
    private static final System.Logger LOG = System.getLogger(RewardModelShaperTest.class.getName());

    private static Step step(String observation, String action, double reward) {
        return new Step(observation, observation, observation, new int[] {1}, action, new int[] {2},
                new float[] {-1f}, reward, false, Map.of());
    }

    /** A walk from cell 1 to the goal at cell 4, with a step away and a wait on the way. */
    private static ShapingInput corridorEpisode() {
        List<Step> steps = List.of(step("cell 1, the goal is to the right", "right", 0.5),
                step("cell 2, the goal is to the right", "left", 0),
                step("cell 1, the goal is to the right", "wait", -0.25),
                step("cell 1, the goal is to the right", "right", 0),
                step("cell 2, the goal is to the right", "right", 0),
                step("cell 3, the goal is to the right", "right", 0));
        double[] rewards = steps.stream().mapToDouble(Step::reward).toArray();
        return new ShapingInput(rewards, new Outcome(1, true), new double[rewards.length + 1], true, steps);
    }

    private static RewardShaper shaper(Map<String, Object> values) {
        return new RewardModelShaperProvider().create(PluginConfig.of("shaper", values));
    }

    private static Map<String, Object> settings(Path model, Object... more) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("model", model.toString());
        for (int i = 0; i < more.length; i += 2) {
            values.put((String) more[i], more[i + 1]);
        }
        return values;
    }

    private static double[] predictions(Path model, List<Step> steps) throws Exception {
        List<LogRecord> records = new ArrayList<>();
        for (Step s : steps) {
            records.add(new LogRecord(s.observation(), s.action(), 0, false, "", "e", records.size(), "",
                    LogRecord.DEFAULT_SOURCE, "test"));
        }
        try (LogRewardModel loaded = LogRewardModel.load(model)) {
            return loaded.predict(records);
        }
    }

    @Test
    void theFittedLogsModelPrefersStepsTowardTheGoal() throws Exception {
        double[] m = predictions(TinyModels.logsModel(), corridorEpisode().steps());
        // right (toward) over left (away) from the same cell, and over waiting
        assertTrue(m[0] > m[1] + 0.3 && m[0] > m[2], java.util.Arrays.toString(m));
    }

    @Test
    void stepRewardsGetTheWeightedRefinedScoresOfTheLogsModel() throws Exception {
        ShapingInput episode = corridorEpisode();
        double[] m = predictions(TinyModels.logsModel(), episode.steps());
        for (Refine refine : Refine.values()) {
            for (double weight : new double[] {0, 0.5, 2}) {
                RewardShaper shaper = shaper(settings(TinyModels.logsModel(), "refine",
                        refine.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), "eta", 0.4,
                        "weight", weight));
                double[] refined = Refinement.apply(refine, 0.4, m);
                double[] expected = episode.stepRewards().clone();
                for (int t = 0; t < expected.length; t++) {
                    expected[t] += weight * refined[t];
                }
                assertArrayEquals(expected, shaper.shape(episode), 1e-12, refine + " weight " + weight);
                ((AutoCloseable) shaper).close();
            }
        }
    }

    @Test
    void aSyntheticEpisodeWithoutStepsIsRefusedAndAnEmptyOneIsEmpty() throws Exception {
        RewardShaper shaper = shaper(settings(TinyModels.logsModel()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> shaper.shape(
                new ShapingInput(new double[] {0, 1}, new Outcome(1, true), new double[3], true)));
        assertTrue(e.getMessage().contains("came without its steps"), e.getMessage());
        assertEquals(0, shaper.shape(new ShapingInput(new double[0], new Outcome(0, false), new double[1], true))
                .length);
        ((AutoCloseable) shaper).close();
    }

    @Test
    void anythingButAModelIsAClearConfigurationError(@TempDir Path dir) throws Exception {
        ConfigException blank = assertThrows(ConfigException.class, () -> shaper(Map.of()));
        assertEquals("shaper.model", blank.path());
        assertTrue(blank.getMessage().contains("densify rm logs fit"), blank.getMessage());
        Map<String, Object> unset = new LinkedHashMap<>();
        unset.put("model", null); // as the defaults file leaves it
        assertEquals("shaper.model", assertThrows(ConfigException.class, () -> shaper(unset)).path());

        ConfigException missing = assertThrows(ConfigException.class, () -> shaper(settings(dir.resolve("nope"))));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());

        Files.writeString(dir.resolve("notes.txt"), "not a model");
        ConfigException other = assertThrows(ConfigException.class, () -> shaper(settings(dir)));
        assertEquals("shaper.model", other.path());
        assertTrue(other.getMessage().contains("logs-model.json") && other.getMessage().contains("heads.safetensors"),
                other.getMessage());

        Path broken = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(broken.resolve(LogRewardModel.FILE_NAME), "{\"format\": 1, \"target\": \"sideways\"}");
        ConfigException unreadable = assertThrows(ConfigException.class, () -> shaper(settings(broken)));
        assertTrue(unreadable.getMessage().contains("cannot load the model"), unreadable.getMessage());

        ConfigException refine = assertThrows(ConfigException.class, () -> shaper(settings(TinyModels.logsModel(),
                "refine", "square")));
        assertEquals("shaper.refine", refine.path());
        assertEquals("shaper.weight", assertThrows(ConfigException.class, () -> shaper(settings(
                TinyModels.logsModel(), "weight", -1))).path());
    }

    @Test
    void aPreferenceModelScoresEachPrefixOfTheEpisodeAsItsPairsWriteEpisodes() throws Exception {
        Path model = TinyModels.preferenceModel();
        ShapingInput episode = corridorEpisode();
        List<Step> steps = episode.steps();
        double[] expected;
        try (PreferenceModel loaded = PreferenceModel.load(model, 16)) {
            List<String> contexts = new ArrayList<>();
            List<String> actions = new ArrayList<>();
            for (int t = 0; t < steps.size(); t++) {
                contexts.add(RunPairs.contextText(steps.subList(0, t + 1)));
                actions.add(RunPairs.actionsText(steps.subList(0, t + 1)));
            }
            expected = loaded.score("executor", loaded.encoder().encode(contexts), loaded.encoder().encode(actions));
        }
        for (int t = 0; t < expected.length; t++) {
            expected[t] += episode.stepRewards()[t];
        }
        // the folder densify rm train --out writes holds the checkpoint in model/
        Path out = Files.createDirectories(model.resolveSibling("rm-train-out"));
        if (!Files.exists(out.resolve("model"))) {
            Files.createSymbolicLink(out.resolve("model"), model.toAbsolutePath());
        }
        for (Path path : List.of(model, out)) {
            RewardShaper shaper = shaper(settings(path, "refine", "none"));
            assertArrayEquals(expected, shaper.shape(episode), 1e-12, path.toString());
            ((AutoCloseable) shaper).close();
        }
        ConfigException head = assertThrows(ConfigException.class, () -> shaper(settings(model, "module",
                "planner")));
        assertEquals("shaper.module", head.path());
        assertTrue(head.getMessage().contains("[executor]"), head.getMessage());
    }

    /** The fixture with every first-layer weight at 3e38: its outputs overflow to NaN or infinity. */
    private static Path overflowingModel(Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode state = (ObjectNode) json.readTree(TinyModels.logsModel().resolve(LogRewardModel.FILE_NAME)
                .toFile());
        ArrayNode first = (ArrayNode) state.get("weights").get(0);
        for (int i = 0; i < first.size(); i++) {
            first.set(i, json.getNodeFactory().numberNode(3e38f));
        }
        Path folder = Files.createDirectories(dir.resolve("overflowing"));
        json.writeValue(folder.resolve(LogRewardModel.FILE_NAME).toFile(), state);
        return folder;
    }

    @Test
    void aNonFiniteScoreGivesTheEpisodeNoModelRewardOrStopsTheRunNamingTheStepAndModel(@TempDir Path dir)
            throws Exception {
        Path model = overflowingModel(dir);
        ShapingInput episode = corridorEpisode();
        RewardModelShaper zero = (RewardModelShaper) shaper(settings(model));
        assertArrayEquals(episode.stepRewards(), zero.shape(episode), 0, "the incoming rewards stay");
        assertArrayEquals(episode.stepRewards(), zero.shape(episode), 0);
        assertEquals(2, zero.failedEpisodes());
        zero.close();

        RewardShaper fail = shaper(settings(model, "on_error", "fail"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fail.shape(episode));
        assertTrue(e.getMessage().contains("logs model " + model) && e.getMessage().contains("step 0: its score is"),
                e.getMessage());
        ((AutoCloseable) fail).close();
    }

    /** The real logs model, with a fault injected where the model's code would fail or hang on a step's text. */
    private static StepScorer faulty(StepScorer real) {
        return new StepScorer() {
            @Override
            public String describe() {
                return real.describe();
            }

            @Override
            public double[] score(List<Step> steps) {
                for (Step s : steps) {
                    if (s.action().equals("explode")) {
                        throw new IllegalArgumentException("cannot encode '" + s.action() + "'");
                    }
                    if (s.action().equals("stall")) {
                        try {
                            Thread.sleep(10_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
                return real.score(steps);
            }

            @Override
            public void close() {
                real.close();
            }
        };
    }

    private static RewardModelShaper faultyShaper(OnError onError, double timeoutS) {
        RewardModelShaperConfig config = new RewardModelShaperConfig(TinyModels.logsModel().toString(), Refine.DELTA,
                0, 1, "executor", onError, timeoutS);
        return new RewardModelShaper(config, faulty(StepScorer.open(TinyModels.logsModel(), "executor")), LOG);
    }

    private static ShapingInput withAction(int t, String action) {
        ShapingInput episode = corridorEpisode();
        List<Step> steps = new ArrayList<>(episode.steps());
        Step s = steps.get(t);
        steps.set(t, step(s.observation(), action, s.reward()));
        return new ShapingInput(episode.stepRewards(), episode.outcome(), episode.values(), true, steps);
    }

    @Test
    void aModelThatThrowsIsNamedWithTheStepThatFails() {
        ShapingInput episode = withAction(3, "explode");
        try (RewardModelShaper zero = faultyShaper(OnError.ZERO, 30)) {
            assertArrayEquals(episode.stepRewards(), zero.shape(episode), 0);
            assertEquals(1, zero.failedEpisodes());
            double[] healthy = zero.shape(corridorEpisode());
            assertTrue(!java.util.Arrays.equals(corridorEpisode().stepRewards(), healthy), "other episodes are scored");
            assertEquals(1, zero.failedEpisodes());
        }
        try (RewardModelShaper fail = faultyShaper(OnError.FAIL, 30)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> fail.shape(episode));
            assertTrue(e.getMessage().contains("step 3 (action 'explode'") && e.getMessage().contains("cannot encode")
                    && e.getMessage().contains("logs model"), e.getMessage());
        }
    }

    @Test
    void aModelThatMissesItsDeadlineStopsTheRunEvenWithOnErrorZero() {
        try (RewardModelShaper shaper = faultyShaper(OnError.ZERO, 0.2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> shaper.shape(withAction(2,
                    "stall")));
            assertTrue(e.getMessage().contains("timeout_s=0.2") && e.getMessage().contains("logs model"),
                    e.getMessage());
            IllegalStateException again = assertThrows(IllegalStateException.class,
                    () -> shaper.shape(corridorEpisode()));
            assertEquals(e.getMessage(), again.getMessage(), "no later call is trusted");
        }
    }
}
