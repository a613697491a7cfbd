package dev.densify.env.tooluse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Environment;
import dev.densify.api.env.Observation;
import dev.densify.api.env.Signals;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ToolUseEnvironmentTest {
    private static final ToolUseProvider PROVIDER = new ToolUseProvider();
    private static final TaskSet TASKS = PROVIDER.tasks(PluginConfig.empty("env"));

    private static List<Task> all() {
        return Stream.concat(TASKS.train().stream(), TASKS.heldOut().stream()).toList();
    }

    private static ToolUseEnvironment env() {
        return new ToolUseEnvironment(ToolUseConfig.defaults().history());
    }

    private static Task task(String template) {
        return all().stream().filter(t -> t.metadata().get("template").equals(template)).findFirst().orElseThrow();
    }

    @Test
    void aCostQuestionIsAnsweredByLookingUpThePriceAndMultiplying() {
        Task task = task("cost");
        Problem problem = TaskGenerator.problem(task);
        String item = task.metadata().get("item");
        int n = Integer.parseInt(task.metadata().get("n"));
        int price = Integer.parseInt(Tools.TABLES.get("price").get(item));
        assertEquals(List.of("lookup(price," + item + ")", "calc(" + price + "*" + n + ")",
                "answer(" + price * n + ")"), problem.actions());
        try (ToolUseEnvironment env = env()) {
            Observation start = env.reset(task, 0L);
            assertTrue(start.text().startsWith("Task: What do " + n + " " + item + "s cost, in dollars?\n"),
                    start.text());
            StepResult looked = env.step("lookup( price , " + item + " )");
            assertTrue(looked.observation().text().contains("= " + price + "\n"), looked.observation().text());
            assertEquals(1.0 / 3, Signals.progress(looked.info()).orElseThrow(), 1e-12);
            assertFalse(Signals.invalidAction(looked.info()));
            StepResult answered = env.step("answer(" + price * n + ".0)");
            assertTrue(answered.done() && answered.terminal() && env.score().success(), env::render);
            assertEquals(1.0, Signals.progress(answered.info()).orElseThrow());
        }
    }

    @Test
    void malformedCallsGetAnErrorObservationAndTheInvalidActionSignal() {
        Task task = task("meters");
        for (String bad : List.of("calc(1/0)", "calc(", "hello there", "", "lookup(price)", "lookup(colour,apple)",
                "lookup(price,banana)", "convert(2 km,kg)", "convert(km,m)", "convert(2 parsec,m)", "search( )",
                "fly(moon)", "calc(2+2)\ncalc(3)", "x".repeat(500))) {
            try (ToolUseEnvironment env = env()) {
                env.reset(task, 0L);
                StepResult result = env.step(bad);
                assertTrue(Signals.invalidAction(result.info()), () -> bad + ": " + result.info());
                assertFalse(Signals.invalidState(result.info()));
                assertFalse(result.done());
                String text = result.observation().text();
                assertTrue(text.contains(" ! error: "), () -> bad + " shows:\n" + text);
                assertTrue(text.endsWith("Steps left " + (TaskGenerator.budget(task) - 1)), text);
            }
        }
    }

    @Test
    void onlyTheRightAnswerSucceedsAndAWrongOneEndsTheEpisodeInADeadEnd() {
        for (Task task : all()) {
            String right = TaskGenerator.problem(task).answer();
            try (ToolUseEnvironment env = env()) {
                env.reset(task, 0L);
                StepResult wrong = env.step("answer(" + right + "1)");
                assertTrue(wrong.done() && wrong.terminal() && !env.score().success(), env::render);
                assertTrue(Signals.invalidState(wrong.info()));
                assertThrows(IllegalStateException.class, () -> env.step("answer(" + right + ")"));
                env.reset(task, 0L);
                assertTrue(env.step("answer( " + right + " )").done() && env.score().success(), env::render);
            }
        }
    }

    @Test
    void runningOutOfStepsEndsTheEpisodeAtABudgetTheStateShows() {
        Task task = task("arithmetic");
        try (ToolUseEnvironment env = env()) {
            env.reset(task, 0L);
            int budget = TaskGenerator.budget(task);
            StepResult last = null;
            for (int i = 0; i < budget; i++) {
                assertFalse(last != null && last.done());
                last = env.step("calc(" + i + ")");
            }
            assertTrue(last.done() && !env.score().success());
            assertEquals(StepResult.Truncation.BUDGET_IN_STATE, last.truncation());
            assertTrue(env.render().contains("out of steps"), env.render());
        }
    }

    @Test
    void demonstrationsFitTheShortActionsOfATinyPolicyAndProgressRisesAlongThem() {
        for (Task task : all()) {
            try (ToolUseEnvironment env = env()) {
                env.reset(task, 0L);
                List<String> demonstration = env.demonstrate().orElseThrow();
                double progress = 0;
                StepResult last = null;
                for (String action : demonstration) {
                    assertTrue(action.length() <= 24, () -> action + " is longer than 24 characters");
                    last = env.step(action);
                    double now = Signals.progress(last.info()).orElseThrow();
                    assertTrue(now > progress, () -> task.id() + ": progress did not rise at " + action);
                    assertFalse(Signals.invalidAction(last.info()) || Signals.invalidState(last.info()));
                    progress = now;
                }
                assertTrue(last.done() && env.score().success(), env::render);
            }
        }
    }

    @Test
    void observationsFitTheTinyPolicysContextWhateverTheAgentWrites() {
        // 512 bytes of context hold the observation, "\nAction: " and up to 24 action bytes.
        qt().withFixedSeed(5L).withExamples(300)
                .forAll(integers().between(0, all().size() - 1), lists().of(strings().allPossible()
                        .ofLengthBetween(0, 200)).ofSizeBetween(1, 10))
                .checkAssert((index, actions) -> {
                    try (ToolUseEnvironment env = new ToolUseEnvironment(3)) {
                        Observation o = env.reset(all().get(index), 0L);
                        for (String action : actions) {
                            assertTrue(o.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 479,
                                    o::text);
                            StepResult r = env.step(action);
                            o = r.observation();
                            if (r.done()) {
                                break;
                            }
                        }
                    }
                });
    }

    @Test
    void theHistoryShowsTheLatestCallsAndAForkGoesItsOwnWay() {
        Task task = task("stock-weight");
        try (ToolUseEnvironment env = new ToolUseEnvironment(2)) {
            env.reset(task, 0L);
            env.step("calc(1)");
            env.step("calc(2)");
            Observation o = env.step("calc(3)").observation();
            assertFalse(o.text().contains("calc(1)"), o.text());
            assertTrue(o.text().contains("> calc(2) = 2\n> calc(3) = 3\n"), o.text());
            Environment fork = env.fork();
            fork.step("answer(0)");
            assertTrue(fork.render().contains("answered wrong"));
            assertFalse(env.render().contains("answered"), env.render());
            assertEquals(o.anchorKey(), o.stateKey().substring(0, o.stateKey().lastIndexOf('\u0001')));
        }
    }

    /**
     * The result view shows the question first and then only each call's result and the steps left; the state, the
     * anchor, the signals and the outcome are the full view's, step by step, so only what the policy reads differs.
     */
    @Test
    void theResultViewShowsOnlyTheLatestResultAfterTheFirstObservationAndKeepsTheFullViewsState() {
        for (String template : List.of("cost", "bridge-cm", "towers-km")) {
            Task task = task(template);
            List<String> actions = new java.util.ArrayList<>(List.of("lookup(price)", "calc(2*3)"));
            actions.addAll(TaskGenerator.problem(task).actions());
            try (ToolUseEnvironment full = new ToolUseEnvironment(3, false);
                 ToolUseEnvironment result = new ToolUseEnvironment(3, true)) {
                Observation a = full.reset(task, 0L);
                Observation b = result.reset(task, 0L);
                assertEquals(a, b, "the first observation is the same in both views");
                for (String action : actions) {
                    StepResult x = full.step(action);
                    StepResult y = result.step(action);
                    String left = x.observation().text().substring(x.observation().text().lastIndexOf("Steps left "));
                    assertFalse(y.observation().text().contains("Task:"), y.observation().text());
                    assertTrue(y.observation().text().endsWith("\n" + left), y.observation().text());
                    String last = x.observation().text().lines().filter(l -> l.startsWith("> ")).reduce((p, q) -> q)
                            .orElseThrow();
                    assertTrue(last.endsWith(" " + y.observation().text().lines().findFirst().orElseThrow()),
                            last + " / " + y.observation().text());
                    assertEquals(x.observation().stateKey(), y.observation().stateKey());
                    assertEquals(x.observation().anchorKey(), y.observation().anchorKey());
                    assertEquals(x.info(), y.info());
                    assertEquals(x.done(), y.done());
                    assertEquals(full.score(), result.score());
                    assertEquals(full.render(), result.render(), "render shows the full view");
                    if (x.done()) {
                        break;
                    }
                }
                assertTrue(result.score().success(), result::render);
            }
        }
    }

    @Test
    void refusesTasksOfOtherEnvironments() {
        try (ToolUseEnvironment env = env()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> env.reset(new Task("t", "do it", Map.of()), 0L));
            assertTrue(e.getMessage().contains("task 't' is not a tool-use task"), e.getMessage());
        }
    }
}
