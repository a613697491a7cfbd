package dev.densify.env.tooluse;

import dev.densify.api.env.Demonstrable;
import dev.densify.api.env.Environment;
import dev.densify.api.env.Observation;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.Signals;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One question at a time. Each step is one tool call written as text; its result (or the error a malformed call
 * gets) joins the history, and the observation shows the question, the latest {@code history} calls with their
 * results and the steps left: the policy sees one observation at a time, so the environment keeps the history.
 * {@code answer(x)} ends the episode, a success only when x is the right answer; running out of steps ends it too.
 * Signals on every step: progress is how far into the task's plan the latest call in view is (1 for the right
 * answer), a call that fails or is not a call is an invalid action, and a wrong answer leads to an invalid state.
 *
 * <p>With the result view, only the first observation shows the question; later ones show the latest call's
 * result and the steps left, so that a policy must read the conversation (its prompt's history) to go on. The
 * state, and so the anchor, is the same in both views.
 *
 * <p>The state is what the full observation shows (the question, the calls in view, the steps left): older calls have no
 * effect on anything, so they are dropped. The reset seed changes nothing: the task fixes its episode.
 */
final class ToolUseEnvironment implements Environment, Demonstrable {
    /** Longest part of a call, and of a result, that the history shows: the observation must fit a small context. */
    static final int CALL_SHOWN = 24;
    static final int RESULT_SHOWN = 72;
    static final String TOOLS_LINE = "Tools: " + String.join(" ", Tools.NAMES) + "; tables: "
            + String.join(" ", Tools.TABLES.keySet());

    /** One call in the history, as shown. {@code answer} marks the call that ended the episode. */
    private record Entry(String call, String result, boolean ok, boolean answer) {
        String line() {
            return "> " + call + " " + outcome();
        }

        String outcome() {
            return (ok ? "= " : "! ") + result;
        }
    }

    private final int history;
    private final boolean resultView;
    private Task task;
    private Problem problem;
    private Deque<Entry> entries = new ArrayDeque<>();
    private int stepsLeft;
    private boolean done;
    private boolean solved;

    ToolUseEnvironment(int history) {
        this(history, false);
    }

    ToolUseEnvironment(int history, boolean resultView) {
        if (history < 1) {
            throw new IllegalArgumentException("history must be at least 1, got " + history);
        }
        this.history = history;
        this.resultView = resultView;
    }

    @Override
    public Observation reset(Task task, long seed) {
        Objects.requireNonNull(task, "task");
        Problem wanted = this.task != null && this.task.equals(task) ? problem : TaskGenerator.problem(task);
        int budget = TaskGenerator.budget(task);
        this.task = task;
        this.problem = wanted;
        entries = new ArrayDeque<>();
        stepsLeft = budget;
        done = false;
        solved = false;
        return observation();
    }

    @Override
    public StepResult step(String action) {
        Objects.requireNonNull(action, "action");
        if (task == null) {
            throw new IllegalStateException("no episode has started; call reset first");
        }
        if (done) {
            throw new IllegalStateException("the episode is over; call reset to start another");
        }
        String shown = shorten(action, CALL_SHOWN);
        Tools.Call call = Tools.Call.parse(action);
        Entry entry;
        if (call == null) {
            entry = new Entry(shown, "error: not a call; write e.g. calc(2*3) or answer(5)", false, false);
        } else if (call.tool().equals(Tools.ANSWER)) {
            solved = Numbers.sameAnswer(problem.answer(), call.argument());
            entry = new Entry(shown, solved ? "correct" : "wrong", true, true);
            done = true;
        } else {
            Tools.Result result = Tools.run(call);
            entry = new Entry(shown, shorten(result.text(), RESULT_SHOWN), result.ok(), false);
        }
        entries.addLast(entry);
        while (entries.size() > history) {
            entries.removeFirst();
        }
        stepsLeft--;
        done = done || stepsLeft == 0;
        boolean wrongAnswer = entry.answer() && !solved;
        Map<String, String> info = new java.util.LinkedHashMap<>(Signals.of(progress(), !entry.ok(), wrongAnswer));
        info.put(entry.ok() ? "event" : "invalid", entry.call() + (entry.ok() ? " = " : " ! ") + entry.result());
        // The observation shows the steps left, so running out of them is a real end: nothing more can be won.
        return new StepResult(resultView ? resultObservation() : observation(), 0.0, done, info, done && !entry.answer()
                ? StepResult.Truncation.BUDGET_IN_STATE : StepResult.Truncation.NONE);
    }

    /**
     * Share of the plan done: how far into it the latest plan call in view is, then 1 once the right answer is given.
     * Measured by the latest call rather than by all calls in view, so that it rises along the plan even when the
     * first calls scroll out of view.
     */
    private double progress() {
        return solved ? 1.0 : planCallsDone() / (double) (problem.plan().size() + 1);
    }

    /** The plan's calls up to and including the latest one in view: where the plan goes on from. */
    private int planCallsDone() {
        List<String> plan = problem.plan();
        int done = 0;
        for (int i = 0; i < plan.size(); i++) {
            if (inView(plan.get(i))) {
                done = i + 1;
            }
        }
        return done;
    }

    private boolean inView(String planned) {
        String canonical = Tools.Call.parse(planned).canonical();
        for (Entry entry : entries) {
            Tools.Call seen = entry.ok() && !entry.answer() ? Tools.Call.parse(entry.call()) : null;
            if (seen != null && seen.canonical().equals(canonical)) {
                return true;
            }
        }
        return false;
    }

    private Observation observation() {
        StringBuilder text = new StringBuilder(256).append("Task: ").append(problem.question()).append('\n')
                .append(TOOLS_LINE).append('\n');
        StringBuilder key = new StringBuilder(task.id());
        for (Entry entry : entries) {
            text.append(entry.line()).append('\n');
            // A separator no shown text contains: two different histories never share a key.
            key.append('\u0001').append(entry.call()).append('\u0002').append(entry.result()).append('\u0002')
                    .append(entry.ok()).append(entry.answer());
        }
        text.append("Steps left ").append(stepsLeft);
        String anchor = key.toString();
        // The anchor omits the steps left: the same history is the same situation for GiGPO.
        return new Observation(text.toString(), anchor + "\u0001left=" + stepsLeft, List.of(), anchor);
    }

    /** The result view after a call: its result and the steps left, with the full view's state and anchor. */
    private Observation resultObservation() {
        Observation full = observation();
        return new Observation(entries.peekLast().outcome() + "\nSteps left " + stepsLeft, full.stateKey(),
                full.admissibleActions(), full.anchorKey());
    }

    @Override
    public Outcome score() {
        return new Outcome(solved ? 1.0 : 0.0, solved);
    }

    /**
     * The plan's calls after the last one in view, then the answer; just the answer when the steps left do not
     * allow more. From the start that is the whole plan.
     */
    @Override
    public Optional<List<String>> demonstrate() {
        if (task == null || done) {
            return Optional.empty();
        }
        List<String> actions = new ArrayList<>(problem.actions().subList(planCallsDone(), problem.plan().size() + 1));
        return Optional.of(actions.size() <= stepsLeft ? actions : List.of(actions.get(actions.size() - 1)));
    }

    @Override
    public Environment fork() {
        ToolUseEnvironment fork = new ToolUseEnvironment(history, resultView);
        fork.task = task;
        fork.problem = problem;
        fork.entries = new ArrayDeque<>(entries);
        fork.stepsLeft = stepsLeft;
        fork.done = done;
        fork.solved = solved;
        return fork;
    }

    @Override
    public String render() {
        if (task == null) {
            return "(no episode yet: call reset)";
        }
        String end = !done ? "" : solved ? "\n(answered right)" : entries.peekLast() != null
                && entries.peekLast().answer() ? "\n(answered wrong; the answer was " + problem.answer() + ")"
                : "\n(out of steps; the answer was " + problem.answer() + ")";
        return observation().text() + end;
    }

    /** The text on one line, cut to {@code limit} characters: a model may write a paragraph or a newline. */
    private static String shorten(String text, int limit) {
        String flat = text.strip().replaceAll("[\\p{Cntrl}\\s]+", " ");
        return flat.length() > limit ? flat.substring(0, limit - 3) + "..." : flat;
    }
}
