package dev.densify.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Demonstrable;
import dev.densify.api.env.Environment;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.Observation;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.Signals;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;

/**
 * The contract every {@link Environment} must keep, as a JUnit 5 test class to extend. An environment author
 * names the provider and gets the {@linkplain PluginContractTest discovery and configuration checks} (ServiceLoader
 * finds the provider, the defaults file and the configuration record agree, an unknown key is rejected by
 * {@code create} and {@code tasks} naming its full path, an empty configuration behaves as the defaults file) and
 * every check below:
 *
 * <pre>{@code
 * class MazeEnvironmentContractTest extends EnvironmentContractTest {
 *     @Override
 *     protected EnvironmentProvider provider() {
 *         return new MazeProvider();
 *     }
 * }
 * }</pre>
 *
 * <p>Most checks are properties over random episodes: a task, a reset seed and a list of choices, each an index into
 * the admissible actions of the state it is taken in. A failure is shrunk to a minimal episode and reported with
 * the actions taken. The search is seeded ({@link #propertySeed()}) so that a failure repeats.
 *
 * <p>State keys are compared across every task and seed explored: a key must identify the state exactly, task
 * included, because tabular critics and anchor grouping pool states of many tasks.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
@DisplayName("Environment contract")
public abstract class EnvironmentContractTest extends PluginContractTest<EnvironmentProvider, Environment> {
    private TaskSet taskSet;

    @Override
    protected final Class<EnvironmentProvider> providerType() {
        return EnvironmentProvider.class;
    }

    @Override
    protected final String group() {
        return "env";
    }

    /** The tasks that episodes are drawn from: every training and held-out task by default. */
    protected List<Task> tasks() {
        TaskSet set = taskSet();
        return Stream.concat(set.train().stream(), set.heldOut().stream()).collect(Collectors.toList());
    }

    /** The actions the kit may take in a state: the admissible ones; override it for an open action space. */
    protected List<String> candidateActions(Observation observation) {
        return observation.admissibleActions();
    }

    /** Random episodes tried per property: more searches deeper, fewer keeps an expensive environment fast. */
    @Override
    protected int examples() {
        return 25;
    }

    /** The longest list of random choices in one episode. */
    protected int maxActions() {
        return 30;
    }

    /** Every episode must be done within this many steps of admissible actions. */
    protected int episodeStepLimit() {
        return 10_000;
    }

    /** Two nodes configure the same environment when they give the same tasks and the same episodes. */
    @Override
    protected void assertSameConfiguration(String context, PluginConfig expected, PluginConfig actual) {
        assertEquals(provider().tasks(expected), provider().tasks(actual), () -> context + " give other tasks");
        super.assertSameConfiguration(context, expected, actual);
    }

    @Override
    protected void assertSameBehaviour(String context, Environment expected, Environment actual) {
        Episodes episodes = episodes();
        theory().forAll(scenarios()).checkAssert(scenario -> Episodes.assertSameFrames(context + " play " + scenario
                + " differently", episodes.walk(expected, scenario), episodes.walk(actual, scenario)));
    }

    private TaskSet taskSet() {
        if (taskSet == null) {
            taskSet = provider().tasks(config());
            assertNotNull(taskSet, () -> provider().name() + ".tasks(config) returned null");
        }
        return taskSet;
    }

    private List<Task> exploredTasks() {
        List<Task> tasks = tasks();
        assertFalse(tasks.isEmpty(), "there are no tasks to explore");
        return tasks;
    }

    private Episodes episodes() {
        EnvironmentProvider provider = provider();
        PluginConfig config = config();
        return new Episodes(() -> provider.create(config), this::candidateActions);
    }

    private QuickTheory theory() {
        return qt().withFixedSeed(propertySeed()).withExamples(examples());
    }

    private Gen<List<Integer>> choices() {
        return lists().of(integers().between(0, 255)).ofSizeBetween(0, maxActions());
    }

    private Gen<Scenario> scenarios() {
        List<Task> tasks = exploredTasks();
        Gen<Scenario> scenarios = integers().between(0, tasks.size() - 1)
                .zip(longs().all(), choices(), (task, seed, choices) -> new Scenario(tasks.get(task), seed, choices));
        return scenarios.describedAs(Scenario::toString);
    }

    private static String describe(Scenario scenario, List<String> actions) {
        return "task '" + scenario.task().id() + "' seed " + scenario.seed() + " actions " + actions;
    }

    @Nested
    @DisplayName("task set")
    class TaskSetContract {

        @Test
        @DisplayName("train and held-out tasks are both non-empty")
        void trainAndHeldOutAreNonEmpty() {
            TaskSet set = taskSet();
            assertFalse(set.train().isEmpty(), "there are no training tasks");
            assertFalse(set.heldOut().isEmpty(), "there are no held-out tasks");
        }

        @Test
        @DisplayName("train and held-out tasks are disjoint: no shared id, no identical task under another id")
        void trainAndHeldOutAreDisjoint() {
            TaskSet set = taskSet();
            Set<String> trainIds = set.train().stream().map(Task::id).collect(Collectors.toSet());
            List<String> shared = set.heldOut().stream().map(Task::id).filter(trainIds::contains).toList();
            assertTrue(shared.isEmpty(), () -> "task ids both in train and held-out: " + shared);
            Map<Object, String> trainContents = new HashMap<>();
            set.train().forEach(t -> trainContents.put(List.of(t.instruction(), t.metadata()), t.id()));
            for (Task task : set.heldOut()) {
                String twin = trainContents.get(List.of(task.instruction(), task.metadata()));
                assertTrue(twin == null, () -> "held-out task '" + task.id() + "' is training task '" + twin
                        + "' under another id (same instruction and metadata)");
            }
        }

        @Test
        @DisplayName("task ids are unique")
        void taskIdsAreUnique() {
            Set<String> seen = new HashSet<>();
            TaskSet set = taskSet();
            for (Task task : Stream.concat(set.train().stream(), set.heldOut().stream()).toList()) {
                assertTrue(seen.add(task.id()), () -> "task id '" + task.id() + "' is used twice");
            }
        }

        @Test
        @DisplayName("the same configuration gives the same tasks")
        void tasksAreRepeatable() {
            assertEquals(taskSet(), provider().tasks(config()), "two calls of tasks(config) differ");
        }

        @Test
        @DisplayName("tasks(config) rejects an unknown key with its full path in the message, as create(config) does")
        void tasksRejectAnUnknownKeyWithItsPath() {
            Map<String, Object> values = new HashMap<>(config().asMap());
            values.put(UNKNOWN_KEY, 1);
            String path = group() + "." + UNKNOWN_KEY;
            ConfigException e = assertThrows(ConfigException.class,
                    () -> provider().tasks(PluginConfig.of(group(), values)),
                    () -> provider().name() + ".tasks(config) accepted the unknown key " + path);
            assertEquals(path, e.path(), () -> "the error names another key: " + e.getMessage());
            assertTrue(e.getMessage().contains(path), () -> "the message does not name " + path + ": "
                    + e.getMessage());
        }
    }

    @Nested
    @DisplayName("reset")
    class ResetContract {

        @Test
        @DisplayName("every task starts with an observation, a render and a finite score")
        void everyTaskStarts() {
            Episodes episodes = episodes();
            try (Environment env = episodes.create()) {
                for (Task task : exploredTasks()) {
                    Frame start = episodes.reset(env, task, 0L);
                    assertFalse(start.observation().stateKey().isEmpty(),
                            () -> "task '" + task.id() + "' starts with an empty state key");
                    assertTrue(Double.isFinite(start.score().reward()),
                            () -> "task '" + task.id() + "' starts with score " + start.score());
                }
            }
        }

        @Test
        @DisplayName("reset is repeatable: the same task and seed start the same way in a fresh or a used environment")
        void resetIsRepeatable() {
            Episodes episodes = episodes();
            theory().forAll(scenarios()).checkAssert(scenario -> {
                try (Environment fresh = episodes.create(); Environment used = episodes.create()) {
                    Frame first = episodes.reset(fresh, scenario.task(), scenario.seed());
                    Run earlier = episodes.walk(used, scenario);
                    Frame again = episodes.reset(used, scenario.task(), scenario.seed());
                    String difference = first.differenceFrom(again);
                    assertTrue(difference == null, () -> "reset after the episode " + describe(scenario,
                            earlier.actions()) + " differs from a first reset: the " + difference);
                    Frame twice = episodes.reset(fresh, scenario.task(), scenario.seed());
                    String repeated = first.differenceFrom(twice);
                    assertTrue(repeated == null, () -> "two resets in a row with " + scenario
                            + " differ: the " + repeated);
                }
            });
        }
    }

    @Nested
    @DisplayName("determinism")
    class Determinism {

        @Test
        @DisplayName("the same task, seed and actions give the same episode")
        void sameTaskSeedAndActionsGiveTheSameEpisode() {
            Episodes episodes = episodes();
            theory().forAll(scenarios()).checkAssert(scenario -> {
                try (Environment one = episodes.create(); Environment other = episodes.create()) {
                    Run first = episodes.walk(one, scenario);
                    Episodes.assertSameFrames("a second environment replaying " + scenario, first,
                            episodes.walk(other, scenario));
                    Episodes.assertSameFrames("the same environment replaying " + scenario, first,
                            episodes.walk(one, scenario));
                }
            });
        }
    }

    @Nested
    @DisplayName("fork")
    class ForkContract {

        @Test
        @DisplayName("a fork is in its original's state: same render, score, state keys and next steps")
        void forkStartsInTheSameState() {
            Episodes episodes = episodes();
            theory().forAll(scenarios(), choices()).checkAssert((scenario, suffix) -> {
                try (Environment env = episodes.create()) {
                    Run prefix = episodes.walk(env, scenario);
                    try (Environment fork = env.fork()) {
                        assertNotNull(fork, "fork() returned null");
                        assertNotSame(env, fork, "fork() returned the environment itself");
                        String where = "a fork after " + describe(scenario, prefix.actions());
                        assertEquals(env.render(), fork.render(), () -> where + " renders differently");
                        assertEquals(env.score(), fork.score(), () -> where + " scores differently");
                        Frame at = prefix.last();
                        List<String> taken = new ArrayList<>();
                        for (int choice : suffix) {
                            if (at.done()) {
                                break;
                            }
                            String action = episodes.choose(at, choice);
                            taken.add(action);
                            Frame original = Frame.afterStep(action, env.step(action), env);
                            Frame forked = Frame.afterStep(action, fork.step(action), fork);
                            String difference = original.differenceFrom(forked);
                            assertTrue(difference == null, () -> where + " then " + taken
                                    + " differs from its original: the " + difference);
                            at = original;
                        }
                    }
                }
            });
        }

        @Test
        @DisplayName("stepping a fork never changes its original")
        void steppingAForkLeavesTheOriginalAlone() {
            checkIndependence(true);
        }

        @Test
        @DisplayName("stepping the original never changes its fork")
        void steppingTheOriginalLeavesTheForkAlone() {
            checkIndependence(false);
        }

        /**
         * Forks after a random prefix, runs one side through its own choices, and checks that the other side still
         * renders and scores as before and then behaves exactly like a fresh replay.
         */
        private void checkIndependence(boolean stepTheFork) {
            Episodes episodes = episodes();
            theory().forAll(scenarios(), choices(), choices()).checkAssert((scenario, disturbing, checked) -> {
                try (Environment env = episodes.create()) {
                    Run prefix = episodes.walk(env, scenario);
                    try (Environment fork = env.fork()) {
                        assertNotNull(fork, "fork() returned null");
                        Environment disturbed = stepTheFork ? fork : env;
                        Environment watched = stepTheFork ? env : fork;
                        String render = watched.render();
                        Outcome score = watched.score();
                        Run disturbance = episodes.proceed(disturbed, prefix.last(), disturbing);
                        String where = "after " + describe(scenario, prefix.actions()) + ", stepping the "
                                + (stepTheFork ? "fork" : "original") + " through " + disturbance.actions();
                        assertEquals(render, watched.render(), () -> where + " changed the other's render");
                        assertEquals(score, watched.score(), () -> where + " changed the other's score");
                        Run continued = episodes.proceed(watched, prefix.last(), checked);
                        assertMatchesReplay(episodes, where + " changed how the other goes on", scenario, prefix,
                                continued);
                    }
                }
            });
        }

        @Test
        @DisplayName("closing a fork leaves its original usable and unchanged")
        void closingAForkLeavesTheOriginalAlone() {
            Episodes episodes = episodes();
            theory().forAll(scenarios(), choices()).checkAssert((scenario, checked) -> {
                try (Environment env = episodes.create()) {
                    Run prefix = episodes.walk(env, scenario);
                    Environment fork = env.fork();
                    assertNotNull(fork, "fork() returned null");
                    fork.close();
                    Run continued = episodes.proceed(env, prefix.last(), checked);
                    assertMatchesReplay(episodes, "closing a fork after " + describe(scenario, prefix.actions())
                            + " changed how the original goes on", scenario, prefix, continued);
                }
            });
        }

        private void assertMatchesReplay(Episodes episodes, String context, Scenario scenario, Run prefix,
                                         Run continued) {
            List<String> all = new ArrayList<>(prefix.actions());
            all.addAll(continued.actions());
            try (Environment reference = episodes.create()) {
                Run replay = episodes.replay(reference, scenario.task(), scenario.seed(), all);
                List<Frame> tail = replay.frames().subList(prefix.actions().size(), replay.frames().size());
                Episodes.assertSameFrames(context + " (compared with a fresh replay)",
                        new Run(replay.actions().subList(prefix.actions().size(), all.size()), tail), continued);
            }
        }
    }

    @Nested
    @DisplayName("end of episode")
    class EpisodeEnd {

        @Test
        @DisplayName("every episode ends, and then step throws IllegalStateException, in a fork too")
        void stepAfterDoneThrows() {
            Episodes episodes = episodes();
            theory().forAll(scenarios()).checkAssert(scenario -> {
                try (Environment env = episodes.create()) {
                    Run run = episodes.finish(env, scenario, episodeStepLimit());
                    String action = run.actions().isEmpty() ? "noop" : run.actions().get(run.actions().size() - 1);
                    String where = "after the episode " + describe(scenario, run.actions()) + " was done, step(\""
                            + action + "\")";
                    assertThrows(IllegalStateException.class, () -> env.step(action),
                            () -> where + " did not throw IllegalStateException");
                    assertThrows(IllegalStateException.class, () -> env.step(action),
                            () -> where + " did not throw IllegalStateException the second time");
                    try (Environment fork = env.fork()) {
                        assertThrows(IllegalStateException.class, () -> fork.step(action),
                                () -> where + " on a fork did not throw IllegalStateException");
                    }
                }
            });
        }

        @Test
        @DisplayName("the score is final once the episode is done")
        void scoreIsFinalOnceDone() {
            Episodes episodes = episodes();
            theory().forAll(scenarios()).checkAssert(scenario -> {
                try (Environment env = episodes.create()) {
                    Run run = episodes.finish(env, scenario, episodeStepLimit());
                    Outcome atEnd = run.last().score();
                    String where = "after the episode " + describe(scenario, run.actions()) + " was done";
                    assertEquals(atEnd, env.score(), () -> where + ", a second score() differs");
                    env.render();
                    try (Environment fork = env.fork()) {
                        assertEquals(atEnd, fork.score(), () -> where + ", its fork scores differently");
                    }
                    assertEquals(atEnd, env.score(), () -> where + ", render and fork changed the score");
                }
            });
        }
    }

    @Nested
    @DisplayName("rewards, score and signals")
    class Rewards {

        /** Plays random episodes to their end and hands every frame, with where it was reached, to {@code check}. */
        private void forEveryFrame(BiConsumer<Frame, Supplier<String>> check) {
            Episodes episodes = episodes();
            theory().forAll(scenarios()).checkAssert(scenario -> {
                try (Environment env = episodes.create()) {
                    Run run = episodes.finish(env, scenario, episodeStepLimit());
                    for (int i = 0; i < run.frames().size(); i++) {
                        List<String> taken = run.actions().subList(0, i);
                        check.accept(run.frames().get(i), () -> "after " + describe(scenario, taken));
                    }
                }
            });
        }

        @Test
        @DisplayName("every step reward and every score is a finite number")
        void rewardsAndScoresAreFinite() {
            forEveryFrame((frame, where) -> {
                assertTrue(Double.isFinite(frame.reward()), () -> "the reward " + where.get() + " is "
                        + frame.reward());
                assertTrue(Double.isFinite(frame.score().reward()), () -> "the score " + where.get() + " is "
                        + frame.score());
            });
        }

        @Test
        @DisplayName("a reported progress signal is a number in [0, 1], and 1 on a success")
        void progressSignalIsInRangeAndOneOnSuccess() {
            forEveryFrame((frame, where) -> {
                String text = frame.info().get(Signals.PROGRESS);
                if (text != null) {
                    OptionalDouble progress = Signals.progress(frame.info());
                    assertTrue(progress.isPresent(), () -> Signals.PROGRESS + " '" + text + "' " + where.get()
                            + " is not a number in [0, 1]");
                    assertFalse(frame.score().success() && progress.getAsDouble() != 1.0, () -> Signals.PROGRESS
                            + " '" + text + "' " + where.get() + " is not 1 although the episode succeeded");
                }
            });
        }
    }

    @Nested
    @DisplayName("state keys")
    class StateKeys {

        /** How many pairs of states sharing a key one example compares; each costs two replays. */
        private static final int COMPARISONS_PER_EXAMPLE = 8;

        @Test
        @DisplayName("the same state reached again has the same key, in a fresh environment, a used one or a fork")
        void theSameStateHasTheSameKey() {
            Episodes episodes = episodes();
            theory().forAll(scenarios()).checkAssert(scenario -> {
                try (Environment env = episodes.create(); Environment other = episodes.create()) {
                    Run run = episodes.walk(env, scenario);
                    List<String> keys = keysOf(run);
                    assertEquals(keys, keysOf(episodes.walk(other, scenario)),
                            () -> "a fresh environment replaying " + describe(scenario, run.actions())
                                    + " gives other state keys");
                    assertEquals(keys, keysOf(episodes.walk(other, scenario)),
                            () -> "a used environment replaying " + describe(scenario, run.actions())
                                    + " gives other state keys");
                    if (!run.actions().isEmpty()) {
                        List<String> allButLast = run.actions().subList(0, run.actions().size() - 1);
                        String last = run.actions().get(run.actions().size() - 1);
                        episodes.replay(other, scenario.task(), scenario.seed(), allButLast);
                        try (Environment fork = other.fork()) {
                            assertEquals(keys.get(keys.size() - 1), fork.step(last).observation().stateKey(),
                                    () -> "a fork taking the last action of " + describe(scenario, run.actions())
                                            + " reaches another state key");
                        }
                    }
                }
            });
        }

        private List<String> keysOf(Run run) {
            return run.frames().stream().map(f -> f.observation().stateKey()).toList();
        }

        @Test
        @DisplayName("states with equal keys are equal: same observation, render, score and future under the same actions")
        void equalKeysMeanEqualStates() {
            Episodes episodes = episodes();
            // Half the second episodes restart the first one's task and seed, where shared keys are most frequent.
            theory().forAll(scenarios(), scenarios(), booleans().all(), choices())
                    .checkAssert((first, other, sameStart, future) -> {
                        Scenario second = sameStart ? first.withChoices(other.choices()) : other;
                        List<Visit> visits = new ArrayList<>();
                        try (Environment env = episodes.create()) {
                            visits.addAll(visitsOf(first, episodes.walk(env, first)));
                            visits.addAll(visitsOf(second, episodes.walk(env, second)));
                        }
                        Map<String, Visit> firstByKey = new HashMap<>();
                        int compared = 0;
                        for (Visit visit : visits) {
                            Visit earlier = firstByKey.putIfAbsent(visit.frame().observation().stateKey(), visit);
                            if (earlier != null && !earlier.sameEpisodeAs(visit) && compared++ < COMPARISONS_PER_EXAMPLE) {
                                assertSameState(episodes, earlier, visit, future);
                            }
                        }
                    });
        }

        private List<Visit> visitsOf(Scenario scenario, Run run) {
            List<Visit> visits = new ArrayList<>();
            for (int i = 0; i < run.frames().size(); i++) {
                visits.add(new Visit(scenario, run.actions().subList(0, i), run.frames().get(i)));
            }
            return visits;
        }

        private void assertSameState(Episodes episodes, Visit a, Visit b, List<Integer> future) {
            String where = "state key '" + a.frame().observation().stateKey() + "' is reached by "
                    + a.describe() + " and by " + b.describe() + ", but the ";
            String now = a.frame().stateDifferenceFrom(b.frame());
            assertTrue(now == null, () -> where + now);
            try (Environment one = episodes.create(); Environment other = episodes.create()) {
                Run fromA = episodes.replay(one, a.scenario().task(), a.scenario().seed(), a.actions());
                Run fromB = episodes.replay(other, b.scenario().task(), b.scenario().seed(), b.actions());
                Run nextA = episodes.proceed(one, fromA.last(), future);
                Run nextB = episodes.proceed(other, fromB.last(), future);
                Episodes.assertSameFrames(where.substring(0, where.length() - ", but the ".length())
                        + ", and the same actions from there give different episodes", nextA, nextB);
            }
        }
    }

    /** A state seen in an episode, with the actions that reached it. */
    private record Visit(Scenario scenario, List<String> actions, Frame frame) {
        boolean sameEpisodeAs(Visit other) {
            return scenario.task().equals(other.scenario.task()) && scenario.seed() == other.scenario.seed()
                    && actions.equals(other.actions);
        }

        String describe() {
            return EnvironmentContractTest.describe(scenario, actions);
        }
    }

    @Nested
    @DisplayName("render and close")
    class RenderAndClose {

        @Test
        @DisplayName("render never fails: before the first reset, during and after an episode")
        void renderNeverFails() {
            Episodes episodes = episodes();
            try (Environment env = episodes.create()) {
                assertNotNull(env.render(), "render() before the first reset returned null");
            }
            theory().forAll(scenarios()).checkAssert(scenario -> {
                try (Environment env = episodes.create()) {
                    // Every frame of the run holds a render; this finishes the episode and renders once more.
                    episodes.finish(env, scenario, episodeStepLimit());
                    assertNotNull(env.render(), "render() after the episode returned null");
                }
            });
        }

        @Test
        @DisplayName("close is idempotent: before reset, during an episode and on a fork")
        void closeIsIdempotent() {
            Episodes episodes = episodes();
            Environment unused = episodes.create();
            unused.close();
            unused.close();
            theory().forAll(scenarios()).checkAssert(scenario -> {
                Environment env = episodes.create();
                episodes.walk(env, scenario);
                Environment fork = env.fork();
                fork.close();
                fork.close();
                env.close();
                env.close();
            });
        }
    }

    @Nested
    @DisplayName("actions")
    class Actions {

        @Test
        @DisplayName("every admissible action is accepted in every state visited")
        void everyAdmissibleActionIsAccepted() {
            Episodes episodes = episodes();
            theory().forAll(scenarios()).checkAssert(scenario -> {
                try (Environment env = episodes.create(); Environment probe = episodes.create()) {
                    Run run = episodes.walk(env, scenario);
                    for (int i = 0; i < run.frames().size(); i++) {
                        Frame at = run.frames().get(i);
                        if (at.done()) {
                            break;
                        }
                        List<String> prefix = run.actions().subList(0, i);
                        for (String action : candidateActions(at.observation())) {
                            episodes.replay(probe, scenario.task(), scenario.seed(), prefix);
                            try {
                                Frame.afterStep(action, probe.step(action), probe);
                            } catch (RuntimeException e) {
                                fail("admissible action '" + action + "' after " + describe(scenario, prefix)
                                        + " was refused: " + e, e);
                            }
                        }
                    }
                }
            });
        }

        @Test
        @DisplayName("admissible actions are distinct and not blank")
        void admissibleActionsAreDistinctAndNotBlank() {
            Episodes episodes = episodes();
            theory().forAll(scenarios()).checkAssert(scenario -> {
                try (Environment env = episodes.create()) {
                    Run run = episodes.walk(env, scenario);
                    for (int i = 0; i < run.frames().size(); i++) {
                        List<String> offered = run.frames().get(i).observation().admissibleActions();
                        List<String> taken = run.actions().subList(0, i);
                        assertEquals(offered.size(), new HashSet<>(offered).size(),
                                () -> "admissible actions after " + describe(scenario, taken) + " repeat: " + offered);
                        assertTrue(offered.stream().noneMatch(String::isBlank),
                                () -> "admissible actions after " + describe(scenario, taken) + " include a blank one: "
                                        + offered);
                    }
                }
            });
        }
    }

    @Nested
    @DisplayName("demonstration (Demonstrable environments only)")
    class Demonstration {

        @BeforeEach
        void onlyForDemonstrableEnvironments() {
            try (Environment env = episodes().create()) {
                assumeTrue(env instanceof Demonstrable, () -> env.getClass().getName() + " is not Demonstrable");
            }
        }

        @Test
        @DisplayName("every task can be demonstrated from its start, and following the demonstration succeeds")
        void everyTaskIsDemonstrated() {
            Episodes episodes = episodes();
            try (Environment env = episodes.create()) {
                for (Task task : exploredTasks()) {
                    for (long seed : new long[] {0L, 1L}) {
                        episodes.reset(env, task, seed);
                        Optional<List<String>> demonstration = ((Demonstrable) env).demonstrate();
                        assertNotNull(demonstration, "demonstrate() returned null");
                        assertTrue(demonstration.isPresent(),
                                () -> "task '" + task.id() + "' with seed " + seed + " has no demonstration");
                        follow(env, demonstration.get(), "task '" + task.id() + "' seed " + seed);
                    }
                }
            }
        }

        @Test
        @DisplayName("a demonstration offered in the middle of an episode succeeds")
        void demonstrationFromAnyStateSucceeds() {
            Episodes episodes = episodes();
            theory().forAll(scenarios()).checkAssert(scenario -> {
                try (Environment env = episodes.create()) {
                    Run run = episodes.walk(env, scenario);
                    if (!run.done()) {
                        Optional<List<String>> demonstration = ((Demonstrable) env).demonstrate();
                        assertNotNull(demonstration, "demonstrate() returned null");
                        if (demonstration.isPresent()) {
                            follow(env, demonstration.get(), describe(scenario, run.actions()));
                        }
                    }
                }
            });
        }

        @Test
        @DisplayName("demonstrating does not change the state")
        void demonstratingLeavesTheStateAlone() {
            Episodes episodes = episodes();
            theory().forAll(scenarios(), choices()).checkAssert((scenario, future) -> {
                try (Environment env = episodes.create(); Environment reference = episodes.create()) {
                    Run run = episodes.walk(env, scenario);
                    if (run.done()) {
                        return;
                    }
                    ((Demonstrable) env).demonstrate();
                    String where = "demonstrate() after " + describe(scenario, run.actions());
                    assertEquals(run.last().render(), env.render(), () -> where + " changed the render");
                    assertEquals(run.last().score(), env.score(), () -> where + " changed the score");
                    Run after = episodes.proceed(env, run.last(), future);
                    Run expected = episodes.proceed(reference, episodes.walk(reference, scenario).last(), future);
                    Episodes.assertSameFrames(where + " changed how the episode goes on", expected, after);
                }
            });
        }

        private void follow(Environment env, List<String> demonstration, String where) {
            boolean done = false;
            for (int i = 0; i < demonstration.size(); i++) {
                String action = demonstration.get(i);
                done = env.step(action).done();
                int step = i;
                assertFalse(done && i < demonstration.size() - 1, () -> "following the demonstration " + demonstration
                        + " from " + where + " ended the episode after " + (step + 1) + " actions");
            }
            assertTrue(env.score().success(), () -> "following the demonstration " + demonstration + " from "
                    + where + " did not succeed: score " + env.score());
            assertTrue(done || demonstration.isEmpty(), () -> "following the demonstration " + demonstration
                    + " from " + where + " succeeded without ending the episode");
        }
    }
}
