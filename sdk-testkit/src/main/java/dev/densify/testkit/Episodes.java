package dev.densify.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import dev.densify.api.env.Environment;
import dev.densify.api.env.Observation;
import dev.densify.api.env.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/** Drives environments through scenarios and replays, recording every frame for comparison. */
final class Episodes {
    private final Supplier<Environment> factory;
    private final Function<Observation, List<String>> candidates;

    Episodes(Supplier<Environment> factory, Function<Observation, List<String>> candidates) {
        this.factory = factory;
        this.candidates = candidates;
    }

    Environment create() {
        Environment env = factory.get();
        if (env == null) {
            throw new AssertionError("the provider created no environment (null)");
        }
        return env;
    }

    Frame reset(Environment env, Task task, long seed) {
        return Frame.afterReset(env.reset(task, seed), env);
    }

    /** The action a choice picks in the state the frame shows. */
    String choose(Frame at, int choice) {
        List<String> offered = candidates.apply(at.observation());
        if (offered == null || offered.isEmpty()) {
            fail("no action to try in state '" + at.observation().stateKey() + "' of an episode that is not done: "
                    + "the observation lists no admissible actions; an environment with an open action space must "
                    + "override candidateActions(Observation)");
        }
        return offered.get(Math.floorMod(choice, offered.size()));
    }

    /** Resets and then takes the scenario's choices until they run out or the episode is done. */
    Run walk(Environment env, Scenario scenario) {
        return proceed(env, reset(env, scenario.task(), scenario.seed()), scenario.choices());
    }

    /** Takes the choices from the state {@code from} shows, which must be the environment's current state. */
    Run proceed(Environment env, Frame from, List<Integer> choices) {
        List<String> actions = new ArrayList<>();
        List<Frame> frames = new ArrayList<>(List.of(from));
        Frame at = from;
        for (int choice : choices) {
            if (at.done()) {
                break;
            }
            String action = choose(at, choice);
            at = Frame.afterStep(action, env.step(action), env);
            actions.add(action);
            frames.add(at);
        }
        return new Run(actions, frames);
    }

    /**
     * Walks the scenario and, if its choices run out first, goes on with random choices drawn from its seed until
     * the episode is done; fails when it is not done within {@code stepLimit} steps.
     */
    Run finish(Environment env, Scenario scenario, int stepLimit) {
        Run run = walk(env, scenario);
        List<String> actions = new ArrayList<>(run.actions());
        List<Frame> frames = new ArrayList<>(run.frames());
        SplittableRandom random = new SplittableRandom(scenario.seed());
        Frame at = run.last();
        while (!at.done()) {
            if (actions.size() >= stepLimit) {
                fail("the episode of " + scenario + " did not end within " + stepLimit + " steps of admissible "
                        + "actions; episodes must end (override episodeStepLimit() if yours are longer)");
            }
            String action = choose(at, random.nextInt(Integer.MAX_VALUE));
            at = Frame.afterStep(action, env.step(action), env);
            actions.add(action);
            frames.add(at);
        }
        return new Run(actions, frames);
    }

    /** Resets and takes exactly the given actions. */
    Run replay(Environment env, Task task, long seed, List<String> actions) {
        List<Frame> frames = new ArrayList<>(List.of(reset(env, task, seed)));
        for (String action : actions) {
            frames.add(Frame.afterStep(action, env.step(action), env));
        }
        return new Run(actions, frames);
    }

    /**
     * Fails, naming the first difference, unless the two runs show the same frames. The first frames are compared
     * as states only: how each run got there is not part of it.
     */
    static void assertSameFrames(String context, Run expected, Run actual) {
        int common = Math.min(expected.frames().size(), actual.frames().size());
        for (int i = 0; i < common; i++) {
            Frame one = expected.frames().get(i);
            Frame other = actual.frames().get(i);
            String difference = i == 0 ? one.stateDifferenceFrom(other) : one.differenceFrom(other);
            if (difference != null) {
                fail(context + ": after actions " + expected.actions().subList(0, i) + " the " + difference);
            }
        }
        if (expected.frames().size() != actual.frames().size()) {
            fail(context + ": one run took " + expected.actions().size() + " actions " + expected.actions()
                    + " and the other " + actual.actions().size() + " " + actual.actions());
        }
    }
}
